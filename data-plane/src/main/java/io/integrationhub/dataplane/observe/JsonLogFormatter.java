package io.integrationhub.dataplane.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_FRAMES = 30;

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            LogContext.Values context = LogContext.current();
            json.writeStartObject();
            json.writeStringField(
                    "timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
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
