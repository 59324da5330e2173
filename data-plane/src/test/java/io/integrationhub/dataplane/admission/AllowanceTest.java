package io.integrationhub.dataplane.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A call's limits from its provider's fair-share rules: class share of the limit, and the module's cap. */
class AllowanceTest {
    private static final ProviderConfig RULES = ProviderConfig.builder()
            .timeoutMs(1000)
            .rateLimitPerSec(10)
            .priorities(Map.of("payments", Priority.CRITICAL, "reports", Priority.BATCH, "tiny", Priority.BATCH))
            .priorityShares(new ProviderConfig.PriorityShares(1.0, 0.9, 0.05))
            .moduleLimits(Map.of("reports", 3, "big", 50))
            .build();

    @ParameterizedTest(name = "{0} at limit {1}: class limit {2}, module cap {3}")
    @CsvSource({
        // module, provider limit, class limit, module cap (0: none)
        "payments, 10,  10, 0",
        "checkout, 10,  9,  0", // unlisted: default
        "reports,  100, 5,  3", // batch share 0.05, its own cap 3
        "tiny,     10,  1,  0", // 10 x 0.05 rounds down to 0: a class is never shut out entirely
        "big,      10,  9,  9", // a cap never adds allowance beyond the class's limit
    })
    void fromTheProvidersRules(String module, int limit, int classLimit, int cap) {
        Allowance allowance = Allowance.of(RULES, limit, module);
        assertThat(allowance.limit()).isEqualTo(classLimit);
        assertThat(allowance.moduleLimit()).isEqualTo(cap);
        assertThat(allowance.capped()).isEqualTo(cap > 0);
    }

    @ParameterizedTest(name = "{0} / {1} replicas")
    @CsvSource({"10, 3, 3, 1", "10, 2, 5, 1", "1, 4, 1, 1"})
    void decidingAloneEachInstanceTakesItsPart(int limit, int replicas, int expectedLimit, int expectedCap) {
        Allowance part = new Allowance(limit, "m", 2).dividedBy(replicas);
        assertThat(part.limit()).isEqualTo(expectedLimit);
        assertThat(part.moduleLimit()).isEqualTo(expectedCap);
        assertThat(Allowance.of(limit).dividedBy(replicas).capped()).isFalse();
    }
}
