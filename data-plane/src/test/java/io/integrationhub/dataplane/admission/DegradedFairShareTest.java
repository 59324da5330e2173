package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.ProviderConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Valkey unreachable: each instance applies the same shares and caps to its part of the limit
 * (every number divided by the expected replicas), deciding alone.
 */
class DegradedFairShareTest {
    @Test
    void sharesAndCapsHoldPerInstanceOnTheirPartOfTheLimit() throws Exception {
        ProviderConfig rules = AdmissionContractTest.provider(1000, 60, 1000, 20).config().toBuilder()
                .rateLimitPerSec(40)
                .priorities(Map.of("reports", ProviderConfig.Priority.BATCH))
                .moduleLimits(Map.of("ledger", 6))
                .build();
        Provider provider = AdmissionContractTest.provider(1000, 60, 1000, 20).withConfig(rules);
        // Port 1 on loopback: nothing listens, so the shared adapter is unreachable from the start.
        try (FailoverAdmission admission = new FailoverAdmission(
                new ValkeyAdmission("redis://127.0.0.1:1?timeout=50ms", "t:", BreakerListener.NONE),
                new InProcessAdmission(Clock.systemUTC(), BreakerListener.NONE),
                2,
                Duration.ofMinutes(1))) {
            assertThat(admission.degraded()).isTrue();
            // Limit 40 over 2 replicas: 20 here; batch's share 0.5 of it: 10. The capped module: 6 / 2 = 3.
            assertThat(inARow(admission, provider, Allowance.of(rules, 40, "reports")))
                    .isEqualTo(10);
            assertThat(inARow(admission, provider, Allowance.of(rules, 40, "ledger")))
                    .isEqualTo(3);
            // The default class (share 0.9 of 20: 18) still has what the others left.
            assertThat(inARow(admission, provider, Allowance.of(rules, 40, "checkout")))
                    .isEqualTo(18 - 10 - 3);
        }
    }

    private static int inARow(Admission admission, Provider provider, Allowance allowance) {
        int admitted = 0;
        while (admission.admit(provider, allowance, false) instanceof Decision.Admitted) {
            admitted++;
            assertThat(admitted).isLessThan(1000);
        }
        return admitted;
    }
}
