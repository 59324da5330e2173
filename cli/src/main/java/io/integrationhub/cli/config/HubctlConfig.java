package io.integrationhub.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The config file: the current context's name and the contexts by name (kept sorted, so the file is stable). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"currentContext", "contexts"})
public record HubctlConfig(String currentContext, Map<String, ContextEntry> contexts) {
    public HubctlConfig {
        contexts = contexts == null ? new TreeMap<>() : new TreeMap<>(contexts);
    }

    public static HubctlConfig empty() {
        return new HubctlConfig(null, Map.of());
    }

    public Optional<ContextEntry> context(String name) {
        return Optional.ofNullable(contexts.get(name));
    }

    public HubctlConfig withContext(String name, ContextEntry entry) {
        Map<String, ContextEntry> copy = new TreeMap<>(contexts);
        copy.put(name, entry);
        return new HubctlConfig(currentContext, copy);
    }

    public HubctlConfig withoutContext(String name) {
        Map<String, ContextEntry> copy = new TreeMap<>(contexts);
        copy.remove(name);
        return new HubctlConfig(name.equals(currentContext) ? null : currentContext, copy);
    }

    public HubctlConfig withCurrentContext(String name) {
        return new HubctlConfig(name, contexts);
    }

    /** The config as shown by {@code hubctl config view}: inline tokens masked. */
    public HubctlConfig masked() {
        Map<String, ContextEntry> copy = new TreeMap<>();
        contexts.forEach((name, entry) -> copy.put(name, entry.masked()));
        return new HubctlConfig(currentContext, copy);
    }
}
