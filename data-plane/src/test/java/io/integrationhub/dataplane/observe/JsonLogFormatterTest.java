package io.integrationhub.dataplane.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** One log record, one JSON line: members, escaping, structured fields, errors, and the request's context. */
class JsonLogFormatterTest {
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    private JsonNode format(LogRecord record) throws Exception {
        String line = formatter.format(record);
        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        return Json.mapper().readTree(line);
    }

    @Test
    void aPlainRecordOutsideARequestHasNullContext() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "quote \" and\nnewline {0}");
        record.setLoggerName("io.integrationhub.x");
        record.setParameters(new Object[] {"p"});
        JsonNode line = format(record);
        assertThat(line.path("level").asText()).isEqualTo("WARNING");
        assertThat(line.path("logger").asText()).isEqualTo("io.integrationhub.x");
        assertThat(line.path("message").asText()).isEqualTo("quote \" and\nnewline p");
        assertThat(line.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(line.path("traceId").isNull()).isTrue();
        assertThat(line.path("tenant").isNull()).isTrue();
        assertThat(line.path("provider").isNull()).isTrue();
    }

    @Test
    void insideARequestScopeTheContextIsWrittenAndRestoredAfterwards() throws Exception {
        try (LogContext.Scope scope =
                LogContext.open("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "acme")) {
            LogContext.provider("01jc0000000000000000000000");
            LogRecord record = new LogRecord(Level.INFO, "call POST success");
            record.setParameters(new Object[] {
                LogFields.of().put("attempts", 2).put("latencyMs", 12.5).put("outcome", "success")
            });
            JsonNode line = format(record);
            assertThat(line.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(line.path("tenant").asText()).isEqualTo("acme");
            assertThat(line.path("provider").asText()).isEqualTo("01jc0000000000000000000000");
            assertThat(line.path("attempts").asInt()).isEqualTo(2);
            assertThat(line.path("latencyMs").asDouble()).isEqualTo(12.5);
            assertThat(line.path("message").asText()).isEqualTo("call POST success");
        }
        assertThat(LogContext.current().traceId()).isNull();
        assertThat(LogContext.current().tenant()).isNull();
    }

    @Test
    void anInvalidTraceparentGivesNoTraceId() {
        assertThat(LogContext.traceIdOf("00-00000000000000000000000000000000-b7ad6b7169203331-01"))
                .isNull();
        assertThat(LogContext.traceIdOf("garbage")).isNull();
        assertThat(LogContext.traceIdOf(null)).isNull();
    }

    @Test
    void anExceptionIsOneMemberWithClassMessageAndFrames() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "unexpected error");
        record.setThrown(new IllegalStateException("boom", new java.io.IOException("cause")));
        JsonNode line = format(record);
        assertThat(line.path("error").path("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error").path("message").asText()).isEqualTo("boom");
        assertThat(line.path("error").path("frames").size()).isPositive();
        assertThat(line.path("error").path("cause").asText()).isEqualTo("java.io.IOException: cause");
    }

    @Test
    void theTimestampIsExactlyInstantsTextAcrossSecondsAndWholeSeconds() {
        long[] samples = {
            0L,
            1L,
            999L,
            1000L,
            1_764_100_000_000L,
            1_764_100_000_007L,
            1_764_100_000_070L,
            1_764_100_000_700L,
            1_764_100_000_999L,
            1_764_100_001_000L,
            -1L,
            -1000L,
            -1001L,
            253_402_300_799_999L,
            253_402_300_800_000L
        };
        for (long millis : samples) {
            assertThat(JsonLogFormatter.timestamp(millis))
                    .isEqualTo(Instant.ofEpochMilli(millis).toString());
            // Twice: the second time from the cached second.
            assertThat(JsonLogFormatter.timestamp(millis))
                    .isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
        java.util.Random random = new java.util.Random(19);
        for (int i = 0; i < 10_000; i++) {
            long millis = 1_764_100_000_000L + random.nextInt(5_000);
            assertThat(JsonLogFormatter.timestamp(millis))
                    .isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }
}
