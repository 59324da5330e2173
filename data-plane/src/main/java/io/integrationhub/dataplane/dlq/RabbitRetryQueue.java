package io.integrationhub.dataplane.dlq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The retry queue on RabbitMQ: a durable quorum queue (kept through node loss in a cluster) with
 * persistent messages published under publisher confirms, consumed with manual acks and a bounded
 * prefetch. Poison messages are rejected without requeue, and the queue dead-letters them
 * (at-least-once) into its parking queue {@code <queue>.parking}; a delivery limit parks a message
 * that keeps coming back (e.g. it crashes its consumer) instead of looping.
 *
 * <p>One connection, re-established by a supervisor thread with backoff whenever it is lost (the
 * client's own automatic recovery is off: this class re-declares, re-opens and re-consumes itself,
 * so there is one recovery path to test). While it is down {@link #publish} throws and the requests
 * wait in Postgres; unacknowledged deliveries go back to the queue when the connection drops.
 */
public final class RabbitRetryQueue implements RetryQueue {
    private static final Logger LOG = Logger.getLogger(RabbitRetryQueue.class.getName());
    private static final int DELIVERY_LIMIT = 20;
    private static final long CONFIRM_TIMEOUT_MS = 10_000;
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** How often the supervisor looks at a connection that seems open (a lost one wakes it at once). */
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);

    private final ConnectionFactory factory;
    private final String queue;
    private final String parkingQueue;
    private final int prefetch;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("dlq-replay-", 0).factory());
    private final Object publishLock = new Object();
    /** Makes "a connection exists" and "a handler is set" meet exactly once, whichever comes first. */
    private final Object consumeLock = new Object();

    private final AtomicBoolean returned = new AtomicBoolean();
    private volatile BackgroundLoop supervisor;
    private volatile Connection connection;
    private volatile Handler handler;
    private Channel publishChannel;

    /**
     * @param uri an {@code amqp://} URL (never logged: it may hold a password)
     * @param queue the retry queue's name; its parking queue is {@code queue + ".parking"}
     * @param prefetch how many messages this instance replays at once
     */
    public RabbitRetryQueue(String uri, String queue, int prefetch) {
        this.factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("INTEGRATION_RABBITMQ_URL is not a usable amqp URL");
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(5_000);
        factory.setRequestedHeartbeat(10);
        this.queue = queue;
        this.parkingQueue = queue + ".parking";
        this.prefetch = prefetch;
        this.supervisor = BackgroundLoop.named("rabbitmq-supervisor")
                .backoff(MIN_BACKOFF, MAX_BACKOFF)
                .whileFailing("retry requests wait in Postgres until RabbitMQ is back")
                .runPaced(this::supervise);
    }

    public String queue() {
        return queue;
    }

    public String parkingQueue() {
        return parkingQueue;
    }

    @Override
    public void start(Handler value) {
        synchronized (consumeLock) {
            this.handler = value;
            Connection current = connection;
            if (current != null && current.isOpen()) {
                try {
                    consume(current);
                } catch (IOException e) {
                    current.abort(); // the supervisor reconnects, and consumes on the new connection
                }
            }
        }
    }

    @Override
    public void publish(List<RetryRequest> requests) throws IOException {
        synchronized (publishLock) {
            Channel channel = publishChannel();
            try {
                returned.set(false);
                for (RetryRequest request : requests) {
                    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                            .deliveryMode(2)
                            .contentType(RetryMessages.CONTENT_TYPE)
                            .messageId(request.id())
                            .build();
                    channel.basicPublish("", queue, true, properties, RetryMessages.encode(request));
                }
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                if (returned.get()) {
                    // Confirmed but unroutable: the queue is gone. Declare it again; the requests are offered again.
                    declare(channel);
                    throw new IOException("the retry queue was missing; it is declared again");
                }
            } catch (TimeoutException e) {
                closeQuietly(channel);
                throw new IOException("the retry queue did not confirm within " + CONFIRM_TIMEOUT_MS + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for publisher confirms", e);
            } catch (ShutdownSignalException e) {
                throw new IOException("the retry queue connection closed: " + e.getMessage(), e);
            }
        }
    }

    private Channel publishChannel() throws IOException {
        if (publishChannel != null && publishChannel.isOpen()) {
            return publishChannel;
        }
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            throw new IOException("the retry queue (RabbitMQ) is unreachable");
        }
        Channel channel = current.createChannel();
        channel.confirmSelect();
        channel.addReturnListener(returnedMessage -> returned.set(true));
        publishChannel = channel;
        return channel;
    }

    @Override
    public boolean isAvailable() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** Keeps one connection open: connects, declares, consumes; after a loss, again with backoff. */
    private Duration supervise() throws IOException, TimeoutException {
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            connect();
        }
        return CHECK_EVERY;
    }

    private void connect() throws IOException, TimeoutException {
        Connection fresh = factory.newConnection("integration-hub-dlq");
        try {
            try (Channel admin = fresh.createChannel()) {
                declare(admin);
            }
            fresh.addShutdownListener(cause -> supervisor.wake());
            synchronized (publishLock) {
                publishChannel = null;
            }
            synchronized (consumeLock) {
                connection = fresh;
                if (handler != null) {
                    consume(fresh);
                }
            }
        } catch (IOException | RuntimeException e) {
            fresh.abort();
            throw e;
        }
    }

    private void declare(Channel channel) throws IOException {
        channel.queueDeclare(parkingQueue, true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueDeclare(
                queue,
                true,
                false,
                false,
                Map.of(
                        "x-queue-type", "quorum",
                        "x-dead-letter-exchange", "",
                        "x-dead-letter-routing-key", parkingQueue,
                        "x-dead-letter-strategy", "at-least-once",
                        "x-overflow", "reject-publish",
                        "x-delivery-limit", DELIVERY_LIMIT));
    }

    private void consume(Connection current) throws IOException {
        Handler consumer = handler;
        Channel channel = current.createChannel();
        channel.basicQos(prefetch);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                workers.execute(() -> deliver(channel, envelope.getDeliveryTag(), body, consumer));
            }

            @Override
            public void handleCancel(String consumerTag) {
                // The queue was deleted: reconnect, which declares it again.
                LOG.warning("retry queue: the broker cancelled the consumer of " + queue + "; reconnecting");
                current.abort();
            }
        });
    }

    private void deliver(Channel channel, long tag, byte[] body, Handler consumer) {
        Verdict verdict;
        try {
            verdict = consumer.handle(body);
        } catch (InterruptedException e) {
            return; // shutting down: unacknowledged, the broker delivers it again
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "retry queue: a message could not be handled; it goes to " + parkingQueue, e);
            verdict = Verdict.PARK;
        }
        synchronized (channel) {
            if (!channel.isOpen()) {
                return; // the broker redelivers it; the replay's token and lease make that a no-op
            }
            try {
                if (verdict == Verdict.DONE) {
                    channel.basicAck(tag, false);
                } else {
                    channel.basicReject(tag, false); // dead-lettered into the parking queue
                }
            } catch (IOException | RuntimeException e) {
                LOG.warning("retry queue: could not settle a delivery ("
                        + e.getClass().getSimpleName() + "); it is redelivered");
            }
        }
    }

    @Override
    public void close() {
        supervisor.closeAndWait(Duration.ofSeconds(2));
        workers.shutdownNow();
        Connection current = connection;
        if (current != null) {
            try {
                current.close(2_000);
            } catch (IOException | RuntimeException e) {
                current.abort();
            }
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
    }
}
