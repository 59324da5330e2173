package io.integrationhub.dataplane.callrecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.integrationhub.registry.crypto.MasterKeys;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.LastError;
import io.integrationhub.registry.idempotency.StoredResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own: durable, sealed, ordered, exclusive, and never dropping what it cannot write. */
class CallRecordSpoolTest {
    private static final Sealer SEALER = new Sealer(MasterKeys.parse(MasterKeys.generateSpec("k1"), null));

    @TempDir
    Path dir;

    private static CallRecord.Parked parked(String key) {
        return new CallRecord.Parked(
                "shop",
                "prov-1",
                key,
                true,
                "entry-" + key,
                true,
                new FailedRequest(
                        "POST",
                        "/charges",
                        "a=1",
                        Map.of("X-Tag", List.of("t")),
                        "application/json",
                        "{\"card\":\"4242424242424242\"}".getBytes(StandardCharsets.UTF_8)),
                new LastError("upstream_status", 503, "the provider answered 503"),
                3,
                false);
    }

    @Test
    void keepsRecordsSealedAndHandsThemBackInOrderIntact() throws IOException {
        CallRecord.Answered answered = new CallRecord.Answered(
                "shop",
                "prov-1",
                "k-2",
                new StoredResponse(
                        201, Map.of("Content-Type", List.of("application/json")), "{\"id\":\"ch_1\"}".getBytes()),
                null,
                1);
        try (CallRecordSpool spool = CallRecordSpool.open(dir, SEALER)) {
            spool.keep(parked("k-1"));
            spool.keep(answered);
            assertThat(spool.pending()).isEqualTo(2);
            for (Path file : Files.list(dir)
                    .filter(f -> f.toString().endsWith(".record"))
                    .toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .doesNotContain("4242424242424242")
                        .doesNotContain("ch_1")
                        .doesNotContain("/charges");
            }
            List<CallRecord> written = new ArrayList<>();
            assertThat(spool.drain(written::add)).isEqualTo(2);
            assertThat(written.get(0)).usingRecursiveComparison().isEqualTo(parked("k-1"));
            assertThat(written.get(1)).usingRecursiveComparison().isEqualTo(answered);
            assertThat(spool.pending()).isZero();
        }
    }

    @Test
    void aParkedCallKeepsItsModuleThroughTheSpool() throws IOException {
        CallRecord.Parked withModule = new CallRecord.Parked(
                "shop",
                "prov-1",
                "k-9",
                true,
                "entry-k-9",
                true,
                new FailedRequest("POST", "/charges", null, Map.of(), null, new byte[0]),
                new LastError("timeout", null, "did not answer in time"),
                2,
                false,
                null,
                "reports");
        try (CallRecordSpool spool = CallRecordSpool.open(dir, SEALER)) {
            spool.keep(withModule);
            spool.keep(parked("k-10"));
            List<CallRecord> written = new ArrayList<>();
            assertThat(spool.drain(written::add)).isEqualTo(2);
            assertThat(((CallRecord.Parked) written.get(0)).module()).isEqualTo("reports");
            assertThat(((CallRecord.Parked) written.get(1)).module())
                    .as("none named")
                    .isNull();
        }
    }

    @Test
    void anUnreachableRegistryStopsTheDrainAndKeepsEverythingInOrder() {
        try (CallRecordSpool spool = CallRecordSpool.open(dir, SEALER)) {
            spool.keep(parked("k-1"));
            spool.keep(parked("k-2"));
            int written = spool.drain(record -> {
                throw new IllegalStateException(new SQLTransientConnectionException("pool timed out"));
            });
            assertThat(written).isZero();
            assertThat(spool.pending()).isEqualTo(2);
            List<String> keys = new ArrayList<>();
            spool.drain(record -> keys.add(((CallRecord.Parked) record).idempotencyKey()));
            assertThat(keys).containsExactly("k-1", "k-2");
        }
    }

    @Test
    void whatCannotBeReadOrWrittenIsSetAsideNotDroppedAndDoesNotHoldUpTheRest() throws IOException {
        try (CallRecordSpool spool = CallRecordSpool.open(dir, SEALER)) {
            spool.keep(parked("k-1"));
            spool.keep(parked("k-2"));
            spool.keep(parked("k-3"));
            List<Path> files = Files.list(dir)
                    .filter(f -> f.toString().endsWith(".record"))
                    .sorted()
                    .toList();
            Files.write(
                    files.get(0),
                    "{\"type\":\"parked\",\"tenantId\":\"shop\",\"keyId\":\"k1\",\"sealed\":\"AAAA\"}".getBytes());
            List<String> keys = new ArrayList<>();
            spool.drain(record -> {
                String key = ((CallRecord.Parked) record).idempotencyKey();
                if (key.equals("k-2")) {
                    throw new IllegalArgumentException("a constraint the registry refuses"); // a bug, not an outage
                }
                keys.add(key);
            });
            assertThat(keys).containsExactly("k-3");
            assertThat(spool.pending()).isZero();
            assertThat(spool.rejected()).isEqualTo(2);
            assertThat(Files.list(dir.resolve("rejected")).count()).isEqualTo(2);
        }
        try (CallRecordSpool reopened = CallRecordSpool.open(dir, SEALER)) {
            assertThat(reopened.rejected()).as("counted again after a restart").isEqualTo(2);
        }
    }

    @Test
    void aDirectoryBelongsToOneInstanceAndInterruptedWritesAreCleanedUp() throws IOException {
        Files.writeString(dir.resolve("01interrupted.tmp"), "half a rec");
        try (CallRecordSpool spool = CallRecordSpool.open(dir, SEALER)) {
            assertThat(dir.resolve("01interrupted.tmp")).doesNotExist();
            assertThatThrownBy(() -> CallRecordSpool.open(dir, SEALER))
                    .hasMessageContaining("in use by another hub instance")
                    .hasMessageContaining("INTEGRATION_SPOOL_DIR");
        }
        CallRecordSpool.open(dir, SEALER).close(); // released with the first
    }
}
