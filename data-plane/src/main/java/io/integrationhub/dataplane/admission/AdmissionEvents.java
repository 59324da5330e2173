package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.valkey.AdmissionEvent;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's subscription to the admission events channel: what it caches about a provider
 * (leases, a clean breaker) is dropped the moment any instance changes it. Pub/sub, not lettuce's
 * client-side caching, which needs RESP3 tracking on one node and does not follow a cluster.
 *
 * <p>An event can be lost only while the subscription is down; then {@link #listening()} is false
 * and no lease is granted, and on every drop all that was cached is dropped too ({@code lost}). A
 * request in flight when an event arrives cannot tell whether Valkey answered it before or after
 * the change: {@link #epoch} moves on every event, so its answer is used for the asking call only.
 */
final class AdmissionEvents implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AdmissionEvents.class.getName());
    private static final long RESUBSCRIBE_NANOS = 1_000_000_000L;

    private final ValkeyClient client;
    private final String channel;
    private final BiConsumer<AdmissionEvent, String> onEvent;
    private final Runnable lost;
    private final AtomicLong everything = new AtomicLong();
    private final Map<String, AtomicLong> byProvider = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile boolean listening;
    private volatile long lastAttemptNanos = System.nanoTime() - RESUBSCRIBE_NANOS;

    AdmissionEvents(ValkeyClient client, String channel, BiConsumer<AdmissionEvent, String> onEvent, Runnable lost) {
        this.client = client;
        this.channel = channel;
        this.onEvent = onEvent;
        this.lost = lost;
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> dropped) {
                if (dropped == connection) {
                    listening = false;
                    everything.incrementAndGet();
                    lost.run();
                }
            }
        });
    }

    /** True while events reach this instance (subscribed, and not dropped since). */
    boolean listening() {
        return listening;
    }

    /** Moves on every event about the provider and on every drop of the subscription. */
    long epoch(String providerId) {
        AtomicLong own = byProvider.get(providerId);
        return everything.get() + (own == null ? 0 : own.get());
    }

    /** Subscribes unless subscribed already or tried within the last second; never throws. */
    void ensureSubscribed() {
        long now = System.nanoTime();
        if (connection != null || now - lastAttemptNanos < RESUBSCRIBE_NANOS) {
            return;
        }
        synchronized (this) {
            if (connection != null) {
                return;
            }
            lastAttemptNanos = now;
            try {
                StatefulRedisPubSubConnection<String, String> c = client.subscriber();
                c.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String from, String message) {
                        received(message);
                    }

                    @Override
                    public void subscribed(String to, long count) {
                        listening = true; // also after lettuce re-subscribes on a reconnect
                    }
                });
                connection = c;
                c.sync().subscribe(channel);
            } catch (RedisException e) {
                LOG.log(Level.FINE, "admission events: not subscribed yet", e);
            }
        }
    }

    private void received(String message) {
        AdmissionEvent event = AdmissionEvent.ofMessage(message);
        if (event == null) {
            return;
        }
        String providerId = AdmissionEvent.providerOf(message);
        byProvider.computeIfAbsent(providerId, id -> new AtomicLong()).incrementAndGet();
        onEvent.accept(event, providerId);
    }

    @Override
    public void close() {
        StatefulRedisPubSubConnection<String, String> c = connection;
        listening = false;
        if (c != null) {
            c.close();
        }
    }
}
