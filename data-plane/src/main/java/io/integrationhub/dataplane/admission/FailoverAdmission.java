package io.integrationhub.dataplane.admission;

import io.integrationhub.dataplane.background.BackgroundLoop;
import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    private final BackgroundLoop prober;
    private volatile boolean degraded;

    public FailoverAdmission(
            ValkeyAdmission shared, InProcessAdmission local, int expectedReplicas, Duration probeInterval) {
        this.shared = shared;
        this.local = local;
        this.expectedReplicas = expectedReplicas;
        this.degraded = !shared.reachable();
        if (degraded) {
            LOG.warning("Valkey is unreachable at start-up: deciding admission alone (degraded) until it answers");
        }
        this.prober = BackgroundLoop.named("valkey-prober")
                .firstAfter(probeInterval)
                .every(probeInterval)
                .run(this::probe);
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
    public Optional<List<String>> shareUsage(String providerId, String summary) {
        if (!degraded) {
            try {
                return shared.shareUsage(providerId, summary);
            } catch (ValkeyUnavailableException e) {
                degrade(e);
            }
        }
        return Optional.empty(); // degraded: each instance knows its own usage only
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

    /** While degraded, goes back to the shared state once Valkey answers a PING. */
    private void probe() {
        if (degraded && shared.reachable()) {
            degraded = false;
            LOG.info("Valkey answers again: back to shared admission state");
        }
    }

    @Override
    public void close() {
        prober.close();
        shared.close();
    }
}
