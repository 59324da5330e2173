package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.registry.dlq.RetryRequests.RetryRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The standalone retry queue: a queue in memory with a few worker threads. Messages die with the
 * process, so start-up queues again every entry left retrying (see {@code RetryRequests#requeueOrphans}).
 */
public final class InProcessRetryQueue implements RetryQueue {
    private static final Logger LOG = Logger.getLogger(InProcessRetryQueue.class.getName());

    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final List<byte[]> parked = new CopyOnWriteArrayList<>();
    private final List<BackgroundLoop> workers = new ArrayList<>();
    private final int concurrency;
    private volatile boolean closed;

    public InProcessRetryQueue(int concurrency) {
        this.concurrency = concurrency;
    }

    @Override
    public void publish(List<RetryRequest> requests) {
        for (RetryRequest request : requests) {
            queue.add(RetryMessages.encode(request));
        }
    }

    /** Puts a raw message body on the queue (tests: poison messages). */
    void publishRaw(byte[] body) {
        queue.add(body);
    }

    @Override
    public synchronized void start(Handler handler) {
        for (int i = 0; i < concurrency; i++) {
            workers.add(
                    BackgroundLoop.named("dlq-replay-" + i).every(Duration.ZERO).run(() -> work(handler)));
        }
    }

    /** Replays one message, waiting for one; a message that cannot be handled is parked. */
    private void work(Handler handler) throws InterruptedException {
        byte[] body = queue.take();
        try {
            if (handler.handle(body) == Verdict.PARK) {
                parked.add(body);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "a retry message could not be handled; it is parked", e);
            parked.add(body);
        }
    }

    /** Messages moved aside as poison. */
    public List<byte[]> parked() {
        return List.copyOf(parked);
    }

    @Override
    public boolean isAvailable() {
        return !closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        workers.forEach(BackgroundLoop::close);
    }
}
