package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rejection that cannot end before a known instant (an OPEN breaker, a full limiter, a provider's
 * pause) is answered by the instance itself until then: no Valkey round trip, the remaining wait
 * as Retry-After, and the shared state consulted again the moment it may have changed. A half-open
 * probe can end at any moment, so its rejections always ask. A private redis-server, so its command
 * counts are the test's own.
 */
class LastingRejectionsTest {

    @Test
    void anOpenBreakerIsAnsweredLocallyUntilItMayHalfOpenAndTheProbesLeaseIsNot() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission admission =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE)) {
            Provider provider = AdmissionContractTest.provider(1, 1, 3000, 20);
            admission.record(provider, (Decision.Admitted) admission.admit(provider, 1000, false), Outcome.FAILURE);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> admission.breaker(provider).state().equals("open"));

            long before = redis.calls("evalsha");
            Decision first = admission.admit(provider, 1000, false);
            assertThat(first).isInstanceOf(Decision.CircuitOpen.class);
            Duration wait = ((Decision.CircuitOpen) first).retryAfter();
            for (int i = 0; i < 50; i++) {
                Decision again = admission.admit(provider, 1000, false);
                assertThat(again).isInstanceOf(Decision.CircuitOpen.class);
                assertThat(((Decision.CircuitOpen) again).retryAfter())
                        .isLessThanOrEqualTo(wait)
                        .isPositive();
            }
            assertThat(redis.calls("evalsha") - before)
                    .as("one round trip for 51 rejections")
                    .isEqualTo(1);

            Thread.sleep(wait.toMillis() + 20);
            Decision probe = admission.admit(provider, 1000, false);
            assertThat(probe).isInstanceOf(Decision.Admitted.class);
            assertThat(((Decision.Admitted) probe).probe()).isTrue();

            long duringProbe = redis.calls("evalsha");
            for (int i = 0; i < 5; i++) {
                assertThat(admission.admit(provider, 1000, false)).isInstanceOf(Decision.CircuitOpen.class);
            }
            assertThat(redis.calls("evalsha") - duringProbe)
                    .as("a running probe may end any moment: always asked")
                    .isEqualTo(5);
            admission.record(provider, (Decision.Admitted) probe, Outcome.SUCCESS);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> admission.admit(provider, 1000, false) instanceof Decision.Admitted);
        }
    }

    @Test
    void aFullLimiterIsAnsweredLocallyForItsLimitUntilASlotFrees() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission admission =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE)) {
            Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20);
            assertThat(admission.admit(provider, 2, false)).isInstanceOf(Decision.Admitted.class);
            assertThat(admission.admit(provider, 2, false)).isInstanceOf(Decision.Admitted.class);
            long before = redis.calls("evalsha");
            Decision limited = admission.admit(provider, 2, false);
            assertThat(limited).isInstanceOf(Decision.RateLimited.class);
            for (int i = 0; i < 20; i++) {
                assertThat(admission.admit(provider, 2, false)).isInstanceOf(Decision.RateLimited.class);
            }
            assertThat(redis.calls("evalsha") - before).isEqualTo(1);

            // A raised limit is not bound by what was decided for the old one.
            assertThat(admission.admit(provider, 1000, false)).isInstanceOf(Decision.Admitted.class);
            Thread.sleep(((Decision.RateLimited) limited).retryAfter().toMillis() + 20);
            assertThat(admission.admit(provider, 4, false)).isInstanceOf(Decision.Admitted.class);
        }
    }

    @Test
    void aProvidersPauseIsAnsweredLocallyUntilItEnds() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start();
                ValkeyAdmission admission =
                        new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE)) {
            Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20);
            assertThat(admission.admit(provider, 1000, false))
                    .isInstanceOf(Decision.Admitted.class); // admit.lua loaded
            admission.pause(provider, Duration.ofMillis(700));
            long before = redis.calls("evalsha");
            for (int i = 0; i < 10; i++) {
                assertThat(admission.admit(provider, 1000, false)).isInstanceOf(Decision.ProviderThrottled.class);
            }
            assertThat(redis.calls("evalsha") - before).isEqualTo(1);
            await().pollInterval(Duration.ofMillis(50))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> admission.admit(provider, 1000, false) instanceof Decision.Admitted);
        }
    }
}
