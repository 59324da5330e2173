package io.integrationhub.registry.provider;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plaintext credential entries (e.g. {@code apiKey}). Lives only in memory; its {@code toString}
 * masks every value so it can never be logged by accident.
 */
public final class Credentials {
    private final Map<String, String> entries;

    public Credentials(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    public String get(String key) {
        return entries.get(key);
    }

    public Map<String, String> entries() {
        return entries;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials" + entries.keySet() + "=***";
    }
}
