package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The admission port: decide before each attempt (pause, breaker, rate limit and retry budget
 * together), record after it. Adapters: {@link InProcessAdmission} (one JVM), {@link ValkeyAdmission}
 * (shared by all instances) and {@link FailoverAdmission} (shared, falling back to in-process).
 */
public interface Admission {
    /** Retries may add at least this many attempts per 10 s window, whatever the budget percentage. */
    int RETRY_BUDGET_FLOOR = 10;
    /** The window the retry budget is measured over. */
    Duration RETRY_BUDGET_WINDOW = Duration.ofSeconds(10);

    /**
     * Decides whether an attempt to the provider may go now.
     *
     * @param allowance the rolling-second limits this call counts against (its class's, its module's)
     * @param retry whether this attempt is a retry (it then draws on the retry budget)
     */
    Decision admit(Provider provider, Allowance allowance, boolean retry);

    /** An attempt under the provider's whole limit, no class or module rule. */
    default Decision admit(Provider provider, int rateLimitPerSec, boolean retry) {
        return admit(provider, Allowance.of(rateLimitPerSec), retry);
    }

    /** Records how an admitted attempt ended; {@code decision} is what {@link #admit} returned for it. */
    void record(Provider provider, Decision.Admitted decision, Outcome outcome);

    /** The provider asked to be left alone for {@code wait} (its Retry-After): pause it for everyone. */
    void pause(Provider provider, Duration wait);

    /** The breaker and limiter as seen now, for health answers. */
    BreakerView breaker(Provider provider);

    /**
     * Shares this instance's usage of the provider's limit in the rolling second ({@code summary}, as
     * the caller encodes it; empty to only read) and answers the other instances' summaries shared in
     * the last two seconds; empty when usage is not shared (one JVM, or the shared state unreachable).
     */
    default Optional<List<String>> shareUsage(String providerId, String summary) {
        return Optional.empty();
    }

    /** True while this instance cannot reach the shared state and decides alone. */
    default boolean degraded() {
        return false;
    }

    /** A snapshot of a provider's breaker and limiter. */
    record BreakerView(String state, int consecutiveFailures, Duration untilHalfOpen, int callsInLastSecond) {}
}
