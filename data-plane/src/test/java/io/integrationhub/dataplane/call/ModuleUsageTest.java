package io.integrationhub.dataplane.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.registry.provider.ProviderConfig.Priority;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who used a provider's limit on this instance in the rolling second, per module and class. */
class ModuleUsageTest {
    @Test
    void countsTheRollingSecondPerModuleAndClass() {
        ModuleUsage usage = new ModuleUsage();
        usage.admitted(0, "payments", Priority.CRITICAL);
        usage.admitted(400, "reports", Priority.BATCH);
        usage.admitted(900, "reports", Priority.BATCH);
        assertThat(usage.usage(999).byModule()).isEqualTo(Map.of("payments", 1, "reports", 2));
        // At 1000 the first admission has left the window, and with it its module.
        ModuleUsage.Usage later = usage.usage(1000);
        assertThat(later.byModule()).isEqualTo(Map.of("reports", 2));
        assertThat(later.byClass()).isEqualTo(Map.of(Priority.CRITICAL, 0, Priority.DEFAULT, 0, Priority.BATCH, 2));
        assertThat(usage.usage(1900).byModule()).isEmpty();
    }

    @Test
    void modulesBeyondTheBoundAreCountedTogether() {
        ModuleUsage usage = new ModuleUsage();
        for (int i = 0; i < ModuleUsage.MAX_MODULES + 5; i++) {
            usage.admitted(10, "m" + i, Priority.DEFAULT);
        }
        usage.admitted(10, "m0", Priority.DEFAULT); // a module already counted keeps its own label
        Map<String, Integer> byModule = usage.usage(20).byModule();
        assertThat(byModule).hasSize(ModuleUsage.MAX_MODULES + 1);
        assertThat(byModule.get(ModuleUsage.OTHER)).isEqualTo(5);
        assertThat(byModule.get("m0")).isEqualTo(2);
        assertThat(usage.usage(20).byClass().get(Priority.DEFAULT)).isEqualTo(ModuleUsage.MAX_MODULES + 6);
    }

    @Test
    void aSummaryTravelsBetweenInstancesAndSumsWithinTheBound() {
        ModuleUsage here = new ModuleUsage();
        here.admitted(10, "payments", Priority.CRITICAL);
        here.admitted(10, "reports", Priority.BATCH);
        ModuleUsage.Usage mine = here.usage(20);
        assertThat(ModuleUsage.Usage.decode(mine.encode())).contains(mine);

        ModuleUsage.Usage sum = mine.plus(mine);
        assertThat(sum.byModule()).isEqualTo(Map.of("payments", 2, "reports", 2));
        assertThat(sum.byClass()).isEqualTo(Map.of(Priority.CRITICAL, 2, Priority.DEFAULT, 0, Priority.BATCH, 2));

        // Many instances' modules together: still at most MAX_MODULES names, the rest as _other.
        ModuleUsage many = new ModuleUsage();
        for (int i = 0; i < ModuleUsage.MAX_MODULES; i++) {
            many.admitted(10, "m" + i, Priority.DEFAULT);
        }
        ModuleUsage.Usage bounded = many.usage(20).plus(mine);
        assertThat(bounded.byModule()).hasSize(ModuleUsage.MAX_MODULES + 1);
        assertThat(bounded.byModule().get(ModuleUsage.OTHER)).isEqualTo(2);
    }

    @Test
    void aSummaryThisBuildCannotReadIsLeftOutNotFatal() {
        assertThat(ModuleUsage.Usage.decode("not json")).isEmpty();
        assertThat(ModuleUsage.Usage.decode("{\"byClass\":{\"batch\":\"x\"}}")
                        .orElseThrow()
                        .byClass())
                .containsEntry(Priority.BATCH, 0);
    }
}
