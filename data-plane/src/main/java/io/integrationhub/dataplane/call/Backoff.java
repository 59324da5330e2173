package io.integrationhub.dataplane.call;

import io.integrationhub.registry.provider.ProviderConfig;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: before retry n (n = 1 after the first attempt) wait
 * {@code baseDelayMs * multiplier^(n-1)} plus a uniform jitter in {@code [-jitterMs, +jitterMs]},
 * never below zero. With the defaults: 1 s, 2 s, 4 s, 8 s, each ± 500 ms.
 */
final class Backoff {
    private final ProviderConfig.Retry retry;
    private final RandomGenerator random;

    Backoff(ProviderConfig.Retry retry, RandomGenerator random) {
        this.retry = retry;
        this.random = random;
    }

    Duration nominal(int retryNumber) {
        return Duration.ofMillis(Math.round(retry.baseDelayMs() * Math.pow(retry.multiplier(), retryNumber - 1)));
    }

    Duration delay(int retryNumber) {
        long jitter = retry.jitterMs() == 0 ? 0 : random.nextLong(-retry.jitterMs(), retry.jitterMs() + 1L);
        return Duration.ofMillis(Math.max(0, nominal(retryNumber).toMillis() + jitter));
    }

    /**
     * The backoff budget left before retry {@code retryNumber}: the nominal delays of every retry
     * still allowed. A provider's Retry-After beyond it is not waited for.
     */
    Duration remainingBudget(int retryNumber) {
        Duration total = Duration.ZERO;
        for (int n = retryNumber; n < retry.maxAttempts(); n++) {
            total = total.plus(nominal(n));
        }
        return total;
    }
}
