package io.integrationhub.dataplane.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured members of one log line, passed as the single parameter of a {@code LogRecord}:
 * {@link JsonLogFormatter} writes them as top-level members. Values are numbers, booleans or
 * short strings that never hold a body or a credential.
 */
public final class LogFields {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public static LogFields of() {
        return new LogFields();
    }

    public LogFields put(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) ->
                text.append(text.isEmpty() ? "" : " ").append(name).append('=').append(value));
        return text.toString();
    }
}
