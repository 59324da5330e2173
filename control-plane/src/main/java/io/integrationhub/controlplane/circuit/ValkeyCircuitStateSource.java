package io.integrationhub.controlplane.circuit;

import io.integrationhub.crds.status.CircuitState;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the data plane's breaker hash: key {@code <prefix>{p:<providerId>}:cb}, field {@code state} =
 * {@code closed|open|half_open}; a missing key is a closed breaker (the data plane creates the
 * hash on the first failure). The connection is made lazily and re-made by lettuce after a
 * Valkey restart; while Valkey is unreachable every provider reads as Unknown.
 */
public final class ValkeyCircuitStateSource implements CircuitStateSource {
    private static final Logger LOG = Logger.getLogger(ValkeyCircuitStateSource.class.getName());
    static final String STATE_FIELD = "state";

    private final RedisClient client;
    private final String prefix;
    private final Duration timeout;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean lastReadFailed;

    private ValkeyCircuitStateSource(RedisClient client, String prefix, Duration timeout) {
        this.client = client;
        this.prefix = prefix;
        this.timeout = timeout;
    }

    /**
     * @param url a {@code redis://} or {@code rediss://} URL (INTEGRATION_VALKEY_URL); never logged,
     *     since it may carry a password
     * @param prefix the data plane's key prefix (INTEGRATION_VALKEY_PREFIX), "" for none
     * @throws IllegalArgumentException if the URL cannot be parsed (the message does not echo it)
     */
    public static ValkeyCircuitStateSource create(String url, String prefix, Duration timeout) {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a redis:// or rediss:// URL");
        }
        uri.setTimeout(timeout);
        return new ValkeyCircuitStateSource(RedisClient.create(uri), prefix == null ? "" : prefix, timeout);
    }

    /** The hash the data plane keeps a provider's breaker in (the hash tag keeps it in one cluster slot). */
    public static String breakerKey(String prefix, String providerId) {
        return prefix + "{p:" + providerId + "}:cb";
    }

    @Override
    public CircuitState stateOf(String providerId) {
        try {
            String state = commands().hget(breakerKey(prefix, providerId), STATE_FIELD);
            lastReadFailed = false;
            return parse(state);
        } catch (RuntimeException e) {
            if (!lastReadFailed) {
                // Once per outage, without the URL; the next successful read clears it.
                LOG.log(Level.WARNING, "circuit state unavailable from Valkey ({0}); showing Unknown",
                        e.getClass().getSimpleName());
            }
            lastReadFailed = true;
            return CircuitState.Unknown;
        }
    }

    static CircuitState parse(String state) {
        if (state == null) {
            return CircuitState.Closed;
        }
        return switch (state) {
            case "closed" -> CircuitState.Closed;
            case "open" -> CircuitState.Open;
            case "half_open" -> CircuitState.HalfOpen;
            default -> CircuitState.Unknown;
        };
    }

    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (this) {
                current = connection;
                if (current == null) {
                    current = client.connect();
                    current.setTimeout(timeout);
                    connection = current;
                }
            }
        }
        return current.sync();
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
