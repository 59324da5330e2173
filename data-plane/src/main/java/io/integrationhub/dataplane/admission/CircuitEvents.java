package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.Json;
import io.integrationhub.registry.outbox.OutboxWriter;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.valkey.BreakerTransition;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes {@code circuit.opened|half_opened|closed} to the outbox (and so to Kafka), on a virtual
 * thread so that no caller waits for it.
 */
public final class CircuitEvents implements BreakerListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CircuitEvents.class.getName());

    private final Jdbi jdbi;
    private final OutboxWriter outbox;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public CircuitEvents(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.outbox = new OutboxWriter(clock);
    }

    @Override
    public void transitioned(Provider provider, BreakerTransition transition) {
        LOG.info("circuit of provider " + provider.id() + " " + transition);
        executor.execute(() -> {
            try {
                jdbi.useTransaction(handle -> outbox.append(
                        handle,
                        provider.id(),
                        "circuit." + transition.stored(),
                        provider.tenantId(),
                        Json.mapper()
                                .createObjectNode()
                                .put("providerId", provider.id())
                                .put("tenantId", provider.tenantId())
                                .put("name", provider.name())
                                .put("state", transition.stored())));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "circuit event for provider " + provider.id() + " could not be written", e);
            }
        });
    }

    @Override
    public void close() {
        executor.close();
    }
}
