package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.dataplane.PrivateRedis;
import io.integrationhub.registry.provider.Provider;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The shared adapter sends an outcome only when record.lua would change something: a success
 * under a closed breaker with no failure counted costs no round trip, while a success after a
 * failure (announced to every instance) still resets the count. A private redis-server, so its command counts are ours.
 */
class OutcomeRecordingTest {
    @Test
    void aSuccessUnderACleanBreakerSendsNothingButASuccessAfterAFailureResetsTheCount() throws Exception {
        try (PrivateRedis redis = new PrivateRedis().start()) {
            ValkeyAdmission admission = new ValkeyAdmission(redis.url() + "?timeout=2s", "t:", BreakerListener.NONE);
            try {
                Provider provider = AdmissionContractTest.provider(3, 60, 1000, 20);
                admitted(admission, provider);
                admission.breaker(provider); // both scripts loaded: no NOSCRIPT retry in the counts below
                long before = redis.calls("evalsha");
                for (int i = 0; i < 10; i++) {
                    Decision.Admitted admitted = admitted(admission, provider);
                    admission.record(provider, admitted, Outcome.SUCCESS);
                    admission.record(provider, admitted(admission, provider), Outcome.NEUTRAL);
                }
                // 20 admissions from a few leases (1, 2, 4, 8, ... permits), no outcome sent (the view below is one
                // more EVALSHA, after them on the connection): far fewer round trips than admissions.
                assertThat(admission.breaker(provider).consecutiveFailures()).isZero();
                assertThat(redis.calls("evalsha") - before).isBetween(2L, 6L);

                // Two calls admitted while clean; one fails, then the other succeeds: the success resets.
                Decision.Admitted first = admitted(admission, provider);
                Decision.Admitted second = admitted(admission, provider);
                admission.record(provider, first, Outcome.FAILURE);
                // The first record loads its script after a NOSCRIPT answer, so it may land after the next view.
                await().atMost(Duration.ofSeconds(3))
                        .until(() -> admission.breaker(provider).consecutiveFailures() == 1);
                admission.record(provider, second, Outcome.SUCCESS);
                await().atMost(Duration.ofSeconds(3))
                        .until(() -> admission.breaker(provider).consecutiveFailures() == 0);
            } finally {
                admission.close();
            }
        }
    }

    private static Decision.Admitted admitted(Admission admission, Provider provider) {
        Decision decision = admission.admit(provider, 1000, false);
        assertThat(decision).isInstanceOf(Decision.Admitted.class);
        return (Decision.Admitted) decision;
    }
}
