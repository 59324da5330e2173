package io.integrationhub.dataplane.admission;

import io.integrationhub.registry.provider.Provider;
import java.time.Duration;

/** The admission port: decide before each attempt, record after it. */
public interface Admission {
    /** Decides whether an attempt to the provider may go now (limiter, breaker and pause together). */
    Decision admit(Provider provider, int rateLimitPerSec);

    /** Records how an admitted attempt ended; {@code decision} is what {@link #admit} returned for it. */
    void record(Provider provider, Decision.Admitted decision, Outcome outcome);

    /** The provider asked to be left alone for {@code wait} (its Retry-After): pause it for everyone. */
    void pause(Provider provider, Duration wait);

    /** The breaker state as seen now, for health answers. */
    BreakerView breaker(Provider provider);

    /** A snapshot of a provider's breaker. */
    record BreakerView(String state, int consecutiveFailures, Duration untilHalfOpen) {}
}
