package io.integrationhub.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.crds.Provider;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.status.Condition;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When the registry cannot be reached, the Provider says so (without driver details) and the operator keeps retrying. */
@Tag("hub")
class RegistryOutageTest {

    @Test
    void aRegistryFailureIsReadyFalseRegistryErrorWithoutDetails() {
        try (OperatorHarness hub = OperatorHarness.start()) {
            hub.database.close(); // every registry call now fails
            String namespace = hub.newNamespace();
            AuthSpec none = new AuthSpec();
            none.setType(AuthType.NONE);
            hub.create(TestResources.provider(namespace, "rates", none));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Optional<Condition> ready = Optional.ofNullable(hub.client
                                .resources(Provider.class)
                                .inNamespace(namespace)
                                .withName("rates")
                                .get()
                                .getStatus())
                        .flatMap(s -> s.condition(Condition.READY));
                assertThat(ready).hasValueSatisfying(c -> {
                    assertThat(c.getStatus()).isEqualTo(Condition.FALSE);
                    assertThat(c.getReason()).isEqualTo("RegistryError");
                    assertThat(c.getMessage())
                            .startsWith("the registry could not be updated (")
                            .endsWith("); retrying")
                            .doesNotContain("jdbc:", "SELECT", "127.0.0.1");
                });
            });
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(hub.metrics.render(java.util.Map.of()))
                            .containsPattern("integration_hub_operator_reconcile_errors_total [2-9]"));
        }
    }
}
