package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Shared admission that keeps calls flowing when Valkey is unreachable: each instance then decides
 * alone with the in-process adapter, dividing the shared limit by the expected number of replicas,
 * reports itself degraded, and goes back to the shared state as soon as a PING succeeds again
 * (checked every {@code probeInterval}; while degraded, calls do not wait on Valkey at all).
 */
public final class FailoverAdmission implements Admission, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FailoverAdmission.class.getName());

    private final ValkeyAdmission shared;
    private final InProcessAdmission local;
    private final int expectedReplicas;
    private final Thread prober;
    private volatile boolean degraded;
    private volatile boolean running = true;

    public FailoverAdmission(
            ValkeyAdmission shared, InProcessAdmission local, int expectedReplicas, Duration probeInterval) {
        this.shared = shared;
        this.local = local;
        this.expectedReplicas = expectedReplicas;
        this.prober = Thread.ofVirtual().name("valkey-prober").unstarted(() -> probe(probeInterval));
        this.degraded = !shared.reachable();
        if (degraded) {
            LOG.warning("Valkey is unreachable at start-up: deciding admission alone (degraded) until it answers");
        }
        prober.start();
    }

    @Override
    public Decision admit(Provider provider, Allowance allowance, boolean retry) {
        if (!degraded) {
            try {
                return shared.admit(provider, allowance, retry);
            } catch (ValkeyUnavailableException e) {
                degrade(e);
            }
        }
        return local.admit(provider, allowance.dividedBy(expectedReplicas), retry);
    }

    @Override
    public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
        if (decision.shared()) {
            shared.record(provider, decision, outcome);
        } else {
            local.record(provider, decision, outcome);
        }
    }

    @Override
    public void pause(Provider provider, Duration wait) {
        if (!degraded) {
            try {
                shared.pause(provider, wait);
                return;
            } catch (ValkeyUnavailableException e) {
                degrade(e);
            }
        }
        local.pause(provider, wait);
    }

    @Override
    public BreakerView breaker(Provider provider) {
        if (!degraded) {
            try {
                return shared.breaker(provider);
            } catch (ValkeyUnavailableException e) {
                degrade(e);
            }
        }
        return local.breaker(provider);
    }

    @Override
    public boolean degraded() {
        return degraded;
    }

    private void degrade(ValkeyUnavailableException e) {
        if (!degraded) {
            degraded = true;
            LOG.warning("Valkey unreachable (" + e.getMessage()
                    + "): deciding admission alone (degraded), limits divided by " + expectedReplicas);
        }
    }

    private void probe(Duration interval) {
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (degraded && shared.reachable()) {
                degraded = false;
                LOG.info("Valkey answers again: back to shared admission state");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        prober.interrupt();
        shared.close();
    }
}
