package io.integrationhub.controlplane.circuit;

import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.registry.valkey.BreakerField;
import io.integrationhub.registry.valkey.BreakerState;
import io.integrationhub.registry.valkey.ValkeyKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads the data plane's breaker hash through the shared Valkey contract: key
 * {@link ValkeyKeys#breaker}, field {@link BreakerField#STATE}, a {@link BreakerState}; a missing key
 * is a closed breaker (the data plane creates the hash on the first failure). The connection is made lazily and re-made by lettuce after a
 * Valkey restart; while Valkey is unreachable every provider reads as Unknown. On a Valkey Cluster
 * ({@code redis-cluster://host1:port1,host2:port2}) each read goes to the master of the key's slot,
 * and the topology is re-read after redirects and failovers.
 */
public final class ValkeyCircuitStateSource implements CircuitStateSource {
    private static final Logger LOG = Logger.getLogger(ValkeyCircuitStateSource.class.getName());

    private final AbstractRedisClient client;
    private final Supplier<Connected> connector;
    private final ValkeyKeys keys;
    private volatile Connected connection;
    private volatile boolean lastReadFailed;

    /** A connection to one node or to a cluster, and its hash commands. */
    private record Connected(StatefulConnection<String, String> connection, RedisHashCommands<String, String> hashes) {}

    private ValkeyCircuitStateSource(AbstractRedisClient client, Supplier<Connected> connector, String prefix) {
        this.client = client;
        this.connector = connector;
        this.keys = new ValkeyKeys(prefix);
    }

    /**
     * @param url a {@code redis://} or {@code rediss://} URL, or {@code redis-cluster://} or
     *     {@code rediss-cluster://} with comma-separated seed nodes (INTEGRATION_VALKEY_URL); never
     *     logged, since it may carry a password
     * @param prefix the data plane's key prefix (INTEGRATION_VALKEY_PREFIX), "" for none
     * @throws IllegalArgumentException if the URL cannot be parsed (the message does not echo it)
     */
    public static ValkeyCircuitStateSource create(String url, String prefix, Duration timeout) {
        String keyPrefix = prefix == null ? "" : prefix;
        try {
            if (url.matches("(?i)rediss?-cluster://.*")) {
                List<RedisURI> seeds =
                        RedisClusterURIUtil.toRedisURIs(URI.create(url.replaceFirst("(?i)-cluster:", ":")));
                seeds.forEach(seed -> seed.setTimeout(timeout));
                RedisClusterClient cluster = RedisClusterClient.create(seeds);
                cluster.setOptions(ClusterClientOptions.builder()
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .build())
                        .build());
                return new ValkeyCircuitStateSource(
                        cluster,
                        () -> {
                            StatefulRedisClusterConnection<String, String> c = cluster.connect();
                            c.setTimeout(timeout);
                            return new Connected(c, c.sync());
                        },
                        keyPrefix);
            }
            RedisURI uri = RedisURI.create(url);
            uri.setTimeout(timeout);
            RedisClient single = RedisClient.create(uri);
            return new ValkeyCircuitStateSource(
                    single,
                    () -> {
                        StatefulRedisConnection<String, String> c = single.connect();
                        c.setTimeout(timeout);
                        return new Connected(c, c.sync());
                    },
                    keyPrefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a redis://, rediss://, redis-cluster:// or rediss-cluster:// URL");
        }
    }

    @Override
    public CircuitState stateOf(String providerId) {
        try {
            String state = commands().hget(keys.breaker(providerId), BreakerField.STATE.stored());
            lastReadFailed = false;
            return parse(state);
        } catch (RuntimeException e) {
            if (!lastReadFailed) {
                // Once per outage, without the URL; the next successful read clears it.
                LOG.log(
                        Level.WARNING,
                        "circuit state unavailable from Valkey ({0}); showing Unknown",
                        e.getClass().getSimpleName());
            }
            lastReadFailed = true;
            return CircuitState.Unknown;
        }
    }

    static CircuitState parse(String stored) {
        return BreakerState.ofStored(stored)
                .map(state -> switch (state) {
                    case CLOSED -> CircuitState.Closed;
                    case OPEN -> CircuitState.Open;
                    case HALF_OPEN -> CircuitState.HalfOpen;
                })
                .orElse(CircuitState.Unknown);
    }

    private RedisHashCommands<String, String> commands() {
        Connected current = connection;
        if (current == null) {
            synchronized (this) {
                current = connection;
                if (current == null) {
                    current = connector.get();
                    connection = current;
                }
            }
        }
        return current.hashes();
    }

    @Override
    public void close() {
        Connected current = connection;
        if (current != null) {
            current.connection().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
