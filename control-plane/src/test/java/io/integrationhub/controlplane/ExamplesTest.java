package io.integrationhub.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.integrationhub.controlplane.reconcile.NotReadyException;
import io.integrationhub.controlplane.reconcile.ProviderTranslator;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.status.Condition;
import io.integrationhub.registry.provider.ProviderSpec;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.registry.provider.WireName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code crds/examples/} goes through the operator's own path: the Provider and its
 * Secret are translated and validated with the registry's rules, and, applied to an API server, end
 * up Ready with a registry row.
 */
@Tag("hub")
class ExamplesTest {
    static List<Path> examples() {
        return ExampleManifests.files();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void validatesThroughTheRegistrysRules(Path file) throws NotReadyException {
        List<HasMetadata> docs = ExampleManifests.documents(file);
        Provider provider = docs.stream()
                .filter(Provider.class::isInstance)
                .map(Provider.class::cast)
                .findFirst()
                .orElseThrow();
        provider.getMetadata().setNamespace("examples");
        Optional<Secret> secret = ProviderTranslator.secretRefOf(provider)
                .flatMap(ref -> docs.stream()
                        .filter(Secret.class::isInstance)
                        .map(Secret.class::cast)
                        .filter(s -> s.getMetadata().getName().equals(ref.getName()))
                        .findFirst());

        ProviderTranslator translator = new ProviderTranslator(new ProviderValidator(false));
        Map<String, String> keys = translator.checkSpec(provider);
        ProviderSpec spec = translator.resolve(provider, keys, secret);

        assertThat(spec.name()).isEqualTo(provider.getMetadata().getName());
        assertThat(WireName.of(spec.auth().type()))
                .isEqualTo(
                        provider.getSpec().getAuth() == null
                                ? "none"
                                : WireName.of(provider.getSpec().getAuth().getType()));
        assertThat(spec.credentials().entries().keySet())
                .containsExactlyInAnyOrderElementsOf(spec.auth().type().credentialKeys());
        // Every config field the resource sets reaches the registry's model (none dropped on the way).
        var config = provider.getSpec().getConfig();
        if (config != null && config.getPriorities() != null) {
            config.getPriorities()
                    .forEach((module, priority) -> assertThat(
                                    WireName.of(spec.config().priorityOf(module)))
                            .isEqualTo(priority));
        }
        if (config != null && config.getModuleLimits() != null) {
            config.getModuleLimits()
                    .forEach((module, cap) ->
                            assertThat(spec.config().moduleLimit(module)).isEqualTo(cap));
        }
    }

    @Test
    void appliedToTheApiServerEveryExampleBecomesReady() {
        try (OperatorHarness hub = OperatorHarness.start()) {
            String namespace = hub.newNamespace();
            for (Path file : examples()) {
                for (HasMetadata doc : ExampleManifests.documents(file)) {
                    doc.getMetadata().setNamespace(namespace);
                    hub.create(doc);
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<Provider> providers = hub.client
                        .resources(Provider.class)
                        .inNamespace(namespace)
                        .list()
                        .getItems();
                assertThat(providers).hasSize(examples().size());
                assertThat(providers)
                        .allSatisfy(p -> assertThat(
                                        Optional.ofNullable(p.getStatus()).flatMap(s -> s.condition(Condition.READY)))
                                .as(p.getMetadata().getName())
                                .hasValueSatisfying(c -> assertThat(c.getStatus())
                                        .as(p.getMetadata().getName() + ": " + c.getMessage())
                                        .isEqualTo(Condition.TRUE)));
            });
            for (Provider provider : hub.client
                    .resources(Provider.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems()) {
                String tenant = ProviderTranslator.tenantOf(provider);
                assertThat(hub.repository.find(tenant, provider.getMetadata().getName()))
                        .isPresent();
            }
        }
    }
}
