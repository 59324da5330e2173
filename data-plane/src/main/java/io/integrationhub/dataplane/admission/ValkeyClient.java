package io.integrationhub.dataplane.admission;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.sync.BaseRedisCommands;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A lettuce client for INTEGRATION_VALKEY_URL: one node ({@code redis://host:6379}) or a cluster
 * ({@code redis-cluster://host1:port1,host2:port2}, {@code rediss-cluster://} with TLS; the nodes are
 * seeds, the client learns the rest). On a cluster each script goes to the master of its keys' slot
 * (the keys of one provider share a hash tag, so one slot); MOVED and ASK are followed, and the
 * topology is re-read on every redirect, on repeated reconnects and every {@link #TOPOLOGY_REFRESH},
 * so a failover or a slot migration costs at most the commands in flight while it happens.
 */
final class ValkeyClient implements AutoCloseable {
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);
    private static final String CLUSTER_SUFFIX = "-cluster";

    private final AbstractRedisClient client;
    private final Supplier<Link> connector;
    private final Supplier<StatefulRedisPubSubConnection<String, String>> subscriber;

    /** One connection: what the admission scripts need, whatever the deployment. */
    record Link(
            StatefulConnection<String, String> connection,
            RedisScriptingCommands<String, String> sync,
            RedisScriptingAsyncCommands<String, String> async,
            BaseRedisCommands<String, String> base) {}

    private ValkeyClient(
            AbstractRedisClient client,
            Supplier<Link> connector,
            Supplier<StatefulRedisPubSubConnection<String, String>> subscriber) {
        this.client = client;
        this.connector = connector;
        this.subscriber = subscriber;
    }

    /** True when the URL names a cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
    static boolean isCluster(String url) {
        int colon = url.indexOf(':');
        return colon > 0 && url.substring(0, colon).toLowerCase(Locale.ROOT).endsWith(CLUSTER_SUFFIX);
    }

    /**
     * @param timeout the command timeout unless the URL sets its own ({@code ?timeout=200ms})
     */
    static ValkeyClient create(String url, ClientResources resources, Duration timeout) {
        if (isCluster(url)) {
            List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(url.replaceFirst("(?i)-cluster:", ":")));
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            Duration effective = url.contains("timeout=") ? seeds.get(0).getTimeout() : timeout;
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(effective))
                    .socketOptions(socketOptions())
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                            .refreshTriggersReconnectAttempts(2)
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .build())
                    .build());
            return new ValkeyClient(
                    cluster,
                    () -> {
                        StatefulRedisClusterConnection<String, String> c = cluster.connect();
                        return new Link(c, c.sync(), c.async(), c.sync());
                    },
                    cluster::connectPubSub);
        }
        RedisURI uri = RedisURI.create(url);
        RedisClient single = RedisClient.create(resources, uri);
        single.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(url.contains("timeout=") ? uri.getTimeout() : timeout))
                .socketOptions(socketOptions())
                .build());
        return new ValkeyClient(
                single,
                () -> {
                    StatefulRedisConnection<String, String> c = single.connect();
                    return new Link(c, c.sync(), c.async(), c.sync());
                },
                single::connectPubSub);
    }

    private static SocketOptions socketOptions() {
        return SocketOptions.builder().connectTimeout(Duration.ofMillis(500)).build();
    }

    /** Connects now; throws lettuce's RedisException when no node answers. */
    Link connect() {
        return connector.get();
    }

    /**
     * A pub/sub connection (on a cluster, to one node: a plain PUBLISH reaches every node); lettuce
     * subscribes again after a reconnect. Throws lettuce's RedisException when no node answers.
     */
    StatefulRedisPubSubConnection<String, String> subscriber() {
        return subscriber.get();
    }

    /** Told when any of this client's connections connects or drops. */
    void addListener(RedisConnectionStateListener listener) {
        client.addListener(listener);
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
