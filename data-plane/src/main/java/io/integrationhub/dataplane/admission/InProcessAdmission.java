package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admission within one JVM: an exact sliding-log limiter (at most N calls in any rolling second)
 * and the breaker of DESIGN §3, per provider, with an injected clock. It serves standalone mode and
 * is the fallback of the shared adapter when Valkey is unreachable (the caller then passes the
 * shared limit divided by the expected replicas).
 */
public final class InProcessAdmission implements Admission {
    private static final long WINDOW_MILLIS = 1000;

    private final Clock clock;
    private final Map<String, ProviderState> states = new ConcurrentHashMap<>();

    public InProcessAdmission(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Decision admit(Provider provider, int rateLimitPerSec) {
        ProviderState state = states.computeIfAbsent(provider.id(), id -> new ProviderState());
        long now = clock.millis();
        ProviderConfig.CircuitBreaker config = provider.config().circuitBreaker();
        synchronized (state) {
            if (state.pausedUntil > now) {
                return new Decision.ProviderThrottled(Duration.ofMillis(state.pausedUntil - now));
            }
            boolean probe = false;
            switch (state.breaker) {
                case OPEN -> {
                    if (now < state.openUntil) {
                        return new Decision.CircuitOpen(Duration.ofMillis(state.openUntil - now));
                    }
                    probe = true; // the first caller after openSec becomes the probe
                }
                case HALF_OPEN -> {
                    if (now < state.probeLeaseUntil) {
                        return new Decision.CircuitOpen(Duration.ofMillis(state.probeLeaseUntil - now));
                    }
                    probe = true; // the previous probe's lease ran out (its owner died): a new probe
                }
                case CLOSED -> { }
            }
            while (!state.sent.isEmpty() && state.sent.peekFirst() <= now - WINDOW_MILLIS) {
                state.sent.pollFirst();
            }
            if (state.sent.size() >= rateLimitPerSec) {
                return new Decision.RateLimited(Duration.ofMillis(state.sent.peekFirst() + WINDOW_MILLIS - now));
            }
            state.sent.addLast(now);
            if (probe) {
                state.breaker = BreakerState.HALF_OPEN;
                state.probeLeaseUntil = now + provider.config().timeoutMs();
                state.generation++;
            }
            return new Decision.Admitted(probe);
        }
    }

    @Override
    public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
        ProviderState state = states.computeIfAbsent(provider.id(), id -> new ProviderState());
        ProviderConfig.CircuitBreaker config = provider.config().circuitBreaker();
        long now = clock.millis();
        synchronized (state) {
            if (decision.probe()) {
                if (state.breaker != BreakerState.HALF_OPEN || outcome == Outcome.NEUTRAL) {
                    if (outcome == Outcome.NEUTRAL && state.breaker == BreakerState.HALF_OPEN) {
                        state.probeLeaseUntil = 0; // inconclusive: let the next caller probe
                    }
                    return;
                }
                if (outcome == Outcome.SUCCESS) {
                    close(state);
                } else {
                    open(state, now, config);
                }
                return;
            }
            if (state.breaker != BreakerState.CLOSED) {
                return; // a result from before the circuit opened does not count in the new state
            }
            switch (outcome) {
                case SUCCESS -> state.failures = 0;
                case FAILURE -> {
                    if (state.failures == 0 || now - state.firstFailureAt > config.failureWindowSec() * 1000L) {
                        state.failures = 0;
                        state.firstFailureAt = now;
                    }
                    state.failures++;
                    if (state.failures >= config.failureThreshold()) {
                        open(state, now, config);
                    }
                }
                case NEUTRAL -> { }
            }
        }
    }

    @Override
    public void pause(Provider provider, Duration wait) {
        ProviderState state = states.computeIfAbsent(provider.id(), id -> new ProviderState());
        synchronized (state) {
            state.pausedUntil = Math.max(state.pausedUntil, clock.millis() + wait.toMillis());
        }
    }

    @Override
    public BreakerView breaker(Provider provider) {
        ProviderState state = states.computeIfAbsent(provider.id(), id -> new ProviderState());
        long now = clock.millis();
        synchronized (state) {
            Duration untilHalfOpen = state.breaker == BreakerState.OPEN ? Duration.ofMillis(Math.max(0, state.openUntil - now))
                    : Duration.ZERO;
            return new BreakerView(state.breaker.name().toLowerCase(java.util.Locale.ROOT), state.failures, untilHalfOpen);
        }
    }

    private static void open(ProviderState state, long now, ProviderConfig.CircuitBreaker config) {
        state.breaker = BreakerState.OPEN;
        state.openUntil = now + config.openSec() * 1000L;
        state.failures = 0;
        state.generation++;
    }

    private static void close(ProviderState state) {
        state.breaker = BreakerState.CLOSED;
        state.failures = 0;
        state.generation++;
    }

    private enum BreakerState { CLOSED, OPEN, HALF_OPEN }

    /** Mutable per-provider state, guarded by its own monitor. */
    private static final class ProviderState {
        final ArrayDeque<Long> sent = new ArrayDeque<>();
        BreakerState breaker = BreakerState.CLOSED;
        int failures;
        long firstFailureAt;
        long openUntil;
        long probeLeaseUntil;
        long pausedUntil;
        long generation;
    }
}
