package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.valkey.BreakerState;
import io.integrationhub.registry.valkey.BreakerTransition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admission within one JVM, with the same semantics as the Valkey scripts: provider pause, the
 * breaker of DESIGN §3 with generations, an exact sliding-log limiter (at most N calls in any
 * rolling second), and the retry budget over 10 s. It serves standalone mode and is the fallback
 * of the shared adapter when Valkey is unreachable.
 */
public final class InProcessAdmission implements Admission {
    private static final long WINDOW_MILLIS = 1000;

    private final Clock clock;
    private final BreakerListener listener;
    private final Map<String, ProviderState> states = new ConcurrentHashMap<>();

    public InProcessAdmission(Clock clock, BreakerListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    @Override
    public Decision admit(Provider provider, Allowance allowance, boolean retry) {
        ProviderState state = state(provider);
        long now = clock.millis();
        boolean halfOpened = false;
        Decision decision;
        synchronized (state) {
            decision = decide(state, provider, allowance, retry, now);
            if (decision instanceof Decision.Admitted admitted && admitted.probe()) {
                halfOpened = true;
            }
        }
        if (halfOpened) {
            listener.transitioned(provider, BreakerTransition.HALF_OPENED);
        }
        return decision;
    }

    private static Decision decide(
            ProviderState state, Provider provider, Allowance allowance, boolean retry, long now) {
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
            case CLOSED -> {}
        }
        long second = now / 1000;
        state.budget.entrySet().removeIf(bucket -> bucket.getKey().second() <= second - 10);
        if (retry) {
            int firsts = state.budget.entrySet().stream()
                    .filter(b -> !b.getKey().retry())
                    .mapToInt(Map.Entry::getValue)
                    .sum();
            int retries = state.budget.entrySet().stream()
                    .filter(b -> b.getKey().retry())
                    .mapToInt(Map.Entry::getValue)
                    .sum();
            int allowed = Math.max(
                    RETRY_BUDGET_FLOOR, firsts * provider.config().retry().budgetPercent() / 100);
            if (retries >= allowed) {
                return new Decision.RetryBudgetExhausted();
            }
        }
        Decision full = full(state.sent, allowance.limit(), now);
        ArrayDeque<Long> moduleSent = allowance.capped()
                ? state.sentByModule.computeIfAbsent(allowance.module(), m -> new ArrayDeque<>())
                : null;
        if (full == null && moduleSent != null) {
            full = full(moduleSent, allowance.moduleLimit(), now);
        }
        if (full != null) {
            return full;
        }
        state.sent.addLast(now);
        if (moduleSent != null) {
            moduleSent.addLast(now);
        }
        state.budget.merge(new Bucket(second, retry), 1, Integer::sum);
        if (probe) {
            state.breaker = BreakerState.HALF_OPEN;
            state.probeLeaseUntil = now + provider.config().timeoutMs();
            state.generation++;
        }
        return new Decision.Admitted(probe, state.generation, false);
    }

    /**
     * Rate limited when the log already holds {@code limit} calls in the rolling second (the wait: until
     * its oldest leaves the window); null when one more fits. Ages the log as it looks.
     */
    private static Decision full(ArrayDeque<Long> log, int limit, long now) {
        while (!log.isEmpty() && log.peekFirst() <= now - WINDOW_MILLIS) {
            log.pollFirst();
        }
        return log.size() >= limit
                ? new Decision.RateLimited(Duration.ofMillis(log.peekFirst() + WINDOW_MILLIS - now))
                : null;
    }

    @Override
    public void record(Provider provider, Decision.Admitted decision, Outcome outcome) {
        ProviderState state = state(provider);
        ProviderConfig.CircuitBreaker config = provider.config().circuitBreaker();
        long now = clock.millis();
        BreakerTransition transition = null;
        synchronized (state) {
            if (decision.generation() != state.generation) {
                return; // admitted before the last transition: its result does not count in the new state
            }
            if (decision.probe()) {
                if (state.breaker == BreakerState.HALF_OPEN) {
                    switch (outcome) {
                        case SUCCESS -> transition = close(state);
                        case FAILURE -> transition = open(state, now, config);
                        case NEUTRAL -> state.probeLeaseUntil = 0; // inconclusive: the next caller probes
                    }
                }
            } else if (state.breaker == BreakerState.CLOSED) {
                switch (outcome) {
                    case SUCCESS -> state.failures = 0;
                    case FAILURE -> {
                        if (state.failures == 0 || now - state.firstFailureAt > config.failureWindowSec() * 1000L) {
                            state.failures = 0;
                            state.firstFailureAt = now;
                        }
                        state.failures++;
                        if (state.failures >= config.failureThreshold()) {
                            transition = open(state, now, config);
                        }
                    }
                    case NEUTRAL -> {}
                }
            }
        }
        if (transition != null) {
            listener.transitioned(provider, transition);
        }
    }

    @Override
    public void pause(Provider provider, Duration wait) {
        ProviderState state = state(provider);
        synchronized (state) {
            state.pausedUntil = Math.max(state.pausedUntil, clock.millis() + wait.toMillis());
        }
    }

    @Override
    public BreakerView breaker(Provider provider) {
        ProviderState state = state(provider);
        long now = clock.millis();
        synchronized (state) {
            Duration untilHalfOpen = state.breaker == BreakerState.OPEN
                    ? Duration.ofMillis(Math.max(0, state.openUntil - now))
                    : Duration.ZERO;
            int recent = (int)
                    state.sent.stream().filter(at -> at > now - WINDOW_MILLIS).count();
            return new BreakerView(state.breaker.stored(), state.failures, untilHalfOpen, recent);
        }
    }

    /** How many retry-budget buckets the provider holds now: bounded by the window, whatever the traffic. */
    int retryBudgetBuckets(Provider provider) {
        ProviderState state = state(provider);
        synchronized (state) {
            return state.budget.size();
        }
    }

    private ProviderState state(Provider provider) {
        return states.computeIfAbsent(provider.id(), id -> new ProviderState());
    }

    private static BreakerTransition open(ProviderState state, long now, ProviderConfig.CircuitBreaker config) {
        state.breaker = BreakerState.OPEN;
        state.openUntil = now + config.openSec() * 1000L;
        state.failures = 0;
        state.generation++;
        return BreakerTransition.OPENED;
    }

    private static BreakerTransition close(ProviderState state) {
        state.breaker = BreakerState.CLOSED;
        state.failures = 0;
        state.generation++;
        return BreakerTransition.CLOSED;
    }

    private record Bucket(long second, boolean retry) {}

    /** Mutable per-provider state, guarded by its own monitor. */
    private static final class ProviderState {
        final ArrayDeque<Long> sent = new ArrayDeque<>();
        /** Capped modules only (config.moduleLimits), so bounded by configuration. */
        final Map<String, ArrayDeque<Long>> sentByModule = new HashMap<>();

        final Map<Bucket, Integer> budget = new HashMap<>();
        BreakerState breaker = BreakerState.CLOSED;
        int failures;
        long firstFailureAt;
        long openUntil;
        long probeLeaseUntil;
        long pausedUntil;
        long generation;
    }
}
