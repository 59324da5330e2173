package io.integrationhub.dataplane.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code message},
 * {@code traceId}, {@code tenant}, {@code provider} (null outside a request), the members of a
 * {@link LogFields} parameter, and {@code error} with the exception's class, message and frames.
 * Configured in {@code logging.properties} for the console handler.
 */
public final class JsonLogFormatter extends Formatter {
    // Jackson's default buffer pool is per thread: every call runs on a new virtual thread, so each line
    // allocated a fresh set of buffers (and a thread-local lookup). A pool shared by all threads reuses them.
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();
    /** The last second written, as "yyyy-MM-ddTHH:mm:ss", so a line in the same second formats no date. */
    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private static final int MAX_FRAMES = 30;

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            LogContext.Values context = LogContext.current();
            json.writeStartObject();
            json.writeStringField("timestamp", timestamp(record.getMillis()));
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("message", message(record));
            json.writeStringField("traceId", context.traceId());
            json.writeStringField("tenant", context.tenant());
            json.writeStringField("provider", context.provider());
            LogFields fields = fields(record);
            if (fields != null) {
                for (Map.Entry<String, Object> field : fields.asMap().entrySet()) {
                    json.writeFieldName(field.getKey());
                    writeValue(json, field.getValue());
                }
            }
            if (record.getThrown() != null) {
                writeError(json, record.getThrown());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(System.lineSeparator()).toString();
    }

    /**
     * Exactly {@code Instant.ofEpochMilli(millis).toString()} (ISO-8601, UTC, the fraction only when
     * there is one, as milliseconds), without formatting the date and time again within a second.
     */
    static String timestamp(long millis) {
        long epochSecond = Math.floorDiv(millis, 1000);
        int milli = (int) Math.floorMod(millis, 1000);
        Second second = lastSecond;
        if (second.epochSecond != epochSecond) {
            String text = Instant.ofEpochSecond(epochSecond).toString();
            // "yyyy-MM-ddTHH:mm:ssZ" for the years 0000-9999; other years keep Instant's own text.
            if (text.length() != 20) {
                return Instant.ofEpochMilli(millis).toString();
            }
            second = new Second(epochSecond, text.substring(0, 19));
            lastSecond = second;
        }
        if (milli == 0) {
            return second.text + 'Z';
        }
        char[] fraction = {
            '.', (char) ('0' + milli / 100), (char) ('0' + milli / 10 % 10), (char) ('0' + milli % 10), 'Z'
        };
        return second.text.concat(new String(fraction));
    }

    private record Second(long epochSecond, String text) {}

    private String message(LogRecord record) {
        if (fields(record) != null) {
            return record.getMessage();
        }
        try {
            return formatMessage(record);
        } catch (RuntimeException e) {
            return record.getMessage();
        }
    }

    private static LogFields fields(LogRecord record) {
        Object[] parameters = record.getParameters();
        return parameters != null && parameters.length == 1 && parameters[0] instanceof LogFields fields
                ? fields
                : null;
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d -> json.writeNumber(d);
            case Boolean b -> json.writeBoolean(b);
            default -> json.writeString(String.valueOf(value));
        }
    }

    private static void writeError(JsonGenerator json, Throwable thrown) throws IOException {
        json.writeObjectFieldStart("error");
        json.writeStringField("class", thrown.getClass().getName());
        json.writeStringField("message", thrown.getMessage());
        json.writeArrayFieldStart("frames");
        StackTraceElement[] frames = thrown.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
            json.writeString(frames[i].toString());
        }
        json.writeEndArray();
        Throwable cause = thrown.getCause();
        if (cause != null && cause != thrown) {
            json.writeStringField("cause", cause.getClass().getName() + ": " + cause.getMessage());
        }
        json.writeEndObject();
    }
}
