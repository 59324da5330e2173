package io.integrationhub.registry.db;

import java.util.Objects;

/** Where the registry lives and how many connections an instance may hold. */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {
    public static final int DEFAULT_MAX_POOL_SIZE = 10;

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be >= 1, but was " + maxPoolSize);
        }
    }

    @Override
    public String toString() {
        // The password never leaves this object through logs or exceptions.
        return "DatabaseSettings[url=" + url + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
