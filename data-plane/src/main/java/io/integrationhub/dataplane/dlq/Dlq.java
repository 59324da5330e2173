package io.integrationhub.dataplane.dlq;

import io.integrationhub.dataplane.auth.Authenticator;
import io.integrationhub.dataplane.call.CallService;
import io.integrationhub.dataplane.config.RabbitMqSettings;
import io.integrationhub.registry.crypto.Sealer;
import io.integrationhub.registry.dlq.DeadLetterPurge;
import io.integrationhub.registry.dlq.DeadLetterRepository;
import io.integrationhub.registry.dlq.RetryRequests;
import io.integrationhub.registry.provider.ProviderRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * The dead letter queue of one instance, wired: the REST service, the relay from Postgres to the
 * retry queue (RabbitMQ when {@code INTEGRATION_RABBITMQ_URL} is set, else in-process), the replay
 * consumer, the sweep of retries whose message was lost, and the daily purge. Closing stops them in the reverse order.
 */
public final class Dlq implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Dlq.class.getName());
    /** Messages one instance replays at once (RabbitMQ prefetch; in-process workers). */
    static final int CONCURRENCY = 8;

    private static final Duration RELAY_POLL = Duration.ofMillis(500);

    private final DlqService service;
    private final RetryQueue queue;
    private final RetryRelay relay;
    private final ExpiredEntryPurger purger;
    private final RetryRequests retries;
    private final StuckRetrySweeper sweeper;

    private Dlq(
            DlqService service,
            RetryQueue queue,
            RetryRelay relay,
            ExpiredEntryPurger purger,
            RetryRequests retries,
            StuckRetrySweeper sweeper) {
        this.sweeper = sweeper;
        this.service = service;
        this.queue = queue;
        this.relay = relay;
        this.purger = purger;
        this.retries = retries;
    }

    public static Dlq start(
            RabbitMqSettings rabbitMq,
            Jdbi jdbi,
            Sealer sealer,
            Clock clock,
            CallService calls,
            ProviderRepository providers) {
        DeadLetterRepository entries = new DeadLetterRepository(jdbi, sealer, clock);
        RetryRequests retries = new RetryRequests(jdbi, clock);
        RetryQueue queue;
        if (rabbitMq.enabled()) {
            queue = new RabbitRetryQueue(rabbitMq.url(), rabbitMq.queue(), CONCURRENCY);
        } else {
            queue = new InProcessRetryQueue(CONCURRENCY);
            int orphans = retries.requeueOrphans();
            if (orphans > 0) {
                LOG.info("dlq: queued again " + orphans + " retry(ies) the in-process queue lost at the last stop");
            }
        }
        RetryRelay relay = new RetryRelay(retries, queue, RELAY_POLL);
        queue.start(new ReplayWorker(retries, entries, calls, relay::wake));
        relay.start();
        ExpiredEntryPurger purger = new ExpiredEntryPurger(new DeadLetterPurge(jdbi, clock)).start();
        StuckRetrySweeper sweeper = new StuckRetrySweeper(retries).start();
        return new Dlq(
                new DlqService(entries, retries, providers, relay::wake), queue, relay, purger, retries, sweeper);
    }

    public DlqRoutes routes(Authenticator authenticator) {
        return new DlqRoutes(service, authenticator);
    }

    public DlqService service() {
        return service;
    }

    public RetryQueue queue() {
        return queue;
    }

    public ExpiredEntryPurger purger() {
        return purger;
    }

    /** Retry requests waiting in Postgres for the queue. */
    public long waitingRequests() {
        return retries.waiting();
    }

    @Override
    public void close() {
        sweeper.close();
        purger.close();
        relay.close();
        queue.close();
    }
}
