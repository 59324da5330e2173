package io.integrationhub.cli;

import io.integrationhub.cli.config.ConfigStore;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a hubctl run sees of the world besides its arguments: the environment (for the
 * {@code HUBCTL_*} overrides and {@code --from-env}), the config directory and standard input
 * ({@code -f -}, {@code -d @-}). Main builds it from the process; tests build it from a map, a
 * {@code @TempDir} and a byte array.
 */
public record Session(Map<String, String> env, ConfigStore configStore, InputStream stdin, boolean stderrIsTerminal) {
    public Session {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(configStore, "configStore");
        Objects.requireNonNull(stdin, "stdin");
    }

    /** A session whose stderr is not a terminal (no progress bars): tests, pipes. */
    public Session(Map<String, String> env, ConfigStore configStore, InputStream stdin) {
        this(env, configStore, stdin, false);
    }

    /** The value of an environment variable, or null when it is unset or empty. */
    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
