package io.integrationhub.controlplane;

import static io.integrationhub.controlplane.TestResources.apiKeyProvider;
import static io.integrationhub.controlplane.TestResources.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.status.CircuitState;
import io.integrationhub.crds.status.Condition;
import io.integrationhub.registry.provider.ManagedBy;
import io.integrationhub.registry.provider.ProviderConfig;
import io.integrationhub.registry.provider.ProviderSpec;
import io.integrationhub.registry.provider.ProviderStatus;
import io.integrationhub.registry.provider.ProviderType;
import io.integrationhub.testkit.Canary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end: fabric8's mock API server (CRUD mode) + the real registry on PostgreSQL.
 * Every credential is the canary; after each test no status, event or log line may contain it.
 */
@Tag("hub")
class ProviderOperatorTest {
    private static OperatorHarness hub;
    private String namespace;

    @BeforeAll
    static void startOperator() {
        Canary.captureLogs();
        hub = OperatorHarness.start();
    }

    @AfterAll
    static void stopOperator() {
        hub.close();
    }

    @AfterEach
    void nothingShowsTheCredential() {
        if (namespace == null) {
            return;
        }
        String visible = Serialization.asYaml(hub.client
                        .resources(Provider.class)
                        .inNamespace(namespace)
                        .list())
                + Serialization.asYaml(
                        hub.client.v1().events().inNamespace(namespace).list());
        assertThat(visible).doesNotContain(Canary.SECRET);
        assertThat(Canary.leaks()).isEmpty();
    }

    @Test
    void appliedProviderAndSecretBecomeASealedOperatorRowAndReadyStatus() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        Provider created = hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));

        Provider ready = awaitReady("psp");
        var row = hub.repository.find(namespace, "psp").orElseThrow();
        assertThat(ready.getStatus().getProviderId()).isEqualTo(row.id());
        assertThat(ready.getStatus().getTenantId()).isEqualTo(namespace);
        assertThat(ready.getStatus().getObservedGeneration())
                .isEqualTo(created.getMetadata().getGeneration())
                .isNotNull();
        assertThat(ready.getStatus().getRegistryVersion()).isEqualTo(1L);
        assertThat(ready.getStatus().getCircuit()).isEqualTo(CircuitState.Closed);
        assertThat(ready.getMetadata().getFinalizers()).contains(ProviderOperator.FINALIZER);
        assertThat(row.managedBy()).isEqualTo(ManagedBy.OPERATOR);
        assertThat(row.baseUrl()).isEqualTo("https://api.psp.example.com/v1");
        assertThat(row.config().timeoutMs()).isEqualTo(5000);
        assertThat(row.auth().name()).isEqualTo("X-Api-Key");
        assertThat(new String(row.sealedCredentials().bytes(), StandardCharsets.ISO_8859_1))
                .doesNotContain(Canary.SECRET);
        assertThat(hub.repository.openCredentials(row).get("apiKey")).isEqualTo(Canary.SECRET);
        assertThat(eventReasons()).contains("Created");
    }

    @Test
    void editingTheSpecUpdatesTheRowAndBumpsItsVersion() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        String id = awaitReady("psp").getStatus().getProviderId();

        Provider edited = hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp")
                .edit(p -> {
                    p.getSpec().setBaseUrl("https://eu.psp.example.com/v2");
                    p.getSpec().getConfig().setTimeoutMs(2500);
                    return p;
                });

        await().untilAsserted(() -> {
            var row = hub.repository.find(namespace, "psp").orElseThrow();
            assertThat(row.id()).isEqualTo(id);
            assertThat(row.baseUrl()).isEqualTo("https://eu.psp.example.com/v2");
            assertThat(row.config().timeoutMs()).isEqualTo(2500);
            assertThat(row.version()).isEqualTo(2);
        });
        await().untilAsserted(() -> {
            Provider current = get("psp");
            assertThat(current.getStatus().getRegistryVersion()).isEqualTo(2L);
            assertThat(current.getStatus().getObservedGeneration())
                    .isEqualTo(edited.getMetadata().getGeneration());
        });
        assertThat(edited.getMetadata().getGeneration()).isGreaterThan(1L);
        assertThat(eventReasons()).contains("Updated");
    }

    @Test
    void periodicReconcilesWriteNothingWhenNothingChanged() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        awaitReady("psp");
        long reconciled = hub.metrics.reconciliations("Reconciled");

        // Several circuit refreshes (one per second) go by.
        await().until(() -> hub.metrics.reconciliations("Reconciled") >= reconciled + 3);
        assertThat(hub.repository.find(namespace, "psp").orElseThrow().version())
                .isEqualTo(1);
    }

    @Test
    void rotatingTheSecretReSealsTheRowWithTheNewCredential() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", "first-" + Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        awaitReady("psp");
        var before = hub.repository.find(namespace, "psp").orElseThrow();

        hub.client
                .resource(secret(namespace, "psp-creds", Map.of("api-key", "second-" + Canary.SECRET)))
                .update();

        await().untilAsserted(() -> {
            var row = hub.repository.find(namespace, "psp").orElseThrow();
            assertThat(hub.repository.openCredentials(row).get("apiKey")).isEqualTo("second-" + Canary.SECRET);
            assertThat(row.version()).isEqualTo(before.version() + 1);
            assertThat(row.sealedCredentials()).isNotEqualTo(before.sealedCredentials());
            assertThat(row.baseUrl()).isEqualTo(before.baseUrl());
        });
        await().untilAsserted(() -> assertThat(eventReasons()).contains("CredentialsResealed"));
    }

    /**
     * A CR edit is written with the credentials read again from the Secret, never with the stored
     * ones: without a readable Secret a moved baseUrl is not written at all (issue 16: stored
     * credentials never follow a moved destination).
     */
    @Test
    void aSpecEditCarriesTheSecretReadAgainSoAMoveWithoutItWritesNothing() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", "first-" + Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        awaitReady("psp");
        hub.client.secrets().inNamespace(namespace).withName("psp-creds").delete();
        awaitReadyCondition("psp", Condition.FALSE);

        Provider moved = hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp")
                .edit(p -> {
                    p.getSpec().setBaseUrl("https://attacker.example.net/v1");
                    return p;
                });
        patiently()
                .until(
                        () -> get("psp").getStatus().getObservedGeneration(),
                        g -> g.equals(moved.getMetadata().getGeneration()));
        assertThat(get("psp")
                        .getStatus()
                        .condition(Condition.READY)
                        .orElseThrow()
                        .getReason())
                .isEqualTo("SecretNotFound");
        var row = hub.repository.find(namespace, "psp").orElseThrow();
        assertThat(row.baseUrl())
                .as("the stored credential did not follow")
                .isEqualTo("https://api.psp.example.com/v1");
        assertThat(row.version()).isEqualTo(1);

        hub.create(secret(namespace, "psp-creds", Map.of("api-key", "second-" + Canary.SECRET)));
        await().untilAsserted(() -> {
            var current = hub.repository.find(namespace, "psp").orElseThrow();
            assertThat(current.baseUrl()).isEqualTo("https://attacker.example.net/v1");
            assertThat(hub.repository.openCredentials(current).get("apiKey"))
                    .as("what the Secret holds now")
                    .isEqualTo("second-" + Canary.SECRET);
        });
    }

    @Test
    void deletingTheProviderSoftDeletesTheRowAndThenDropsTheFinalizer() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        String id = awaitReady("psp").getStatus().getProviderId();

        hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp")
                .delete();

        await().untilAsserted(() -> assertThat(hub.client
                        .resources(Provider.class)
                        .inNamespace(namespace)
                        .withName("psp")
                        .get())
                .isNull());
        assertThat(hub.repository.find(namespace, "psp")).isEmpty();
        assertThat(hub.repository.findAnyById(id).orElseThrow().deletedAt()).isNotNull();
    }

    @Test
    void aProviderThatARouteNamesStaysUntilTheRouteChanges() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp-backup", "psp-creds"));
        awaitReady("psp-backup");
        Provider main = apiKeyProvider(namespace, "psp-main", "psp-creds");
        io.integrationhub.crds.spec.FailoverConfig failover = new io.integrationhub.crds.spec.FailoverConfig();
        failover.setTo(List.of("psp-backup"));
        failover.setOnStatus(List.of(503));
        main.getSpec().getConfig().setFailover(failover);
        hub.create(main);
        awaitReady("psp-main");
        assertThat(hub.repository
                        .find(namespace, "psp-main")
                        .orElseThrow()
                        .config()
                        .failoverTargets())
                .containsExactly("psp-backup");

        // Deleting the target is held (row and finalizer kept) with a warning, while the route names it.
        hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp-backup")
                .delete();
        patiently().until(this::eventReasons, reasons -> reasons.contains("InFailoverRoute"));
        assertThat(get("psp-backup")).isNotNull();
        assertThat(hub.repository.find(namespace, "psp-backup")).isPresent();

        // Once the route no longer names it, the held deletion completes by itself.
        hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp-main")
                .edit(p -> {
                    p.getSpec().getConfig().setFailover(null);
                    return p;
                });
        patiently().untilAsserted(() -> assertThat(get("psp-backup")).isNull());
        assertThat(hub.repository.find(namespace, "psp-backup")).isEmpty();
    }

    @Test
    void aRouteToAProviderNotYetAppliedIsNotReadyAndSettlesByItselfOnceTheTargetExists() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        Provider main = apiKeyProvider(namespace, "psp-main", "psp-creds");
        io.integrationhub.crds.spec.FailoverConfig failover = new io.integrationhub.crds.spec.FailoverConfig();
        failover.setTo(List.of("psp-backup"));
        main.getSpec().getConfig().setFailover(failover);
        hub.create(main);

        Condition ready = awaitReadyCondition("psp-main", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("FailoverTargetNotFound");
        assertThat(ready.getMessage()).contains("spec.config.failover.to[0]", "psp-backup");
        assertThat(hub.repository.find(namespace, "psp-main")).isEmpty();
        assertThat(eventReasons()).contains("FailoverTargetNotFound");

        hub.create(apiKeyProvider(namespace, "psp-backup", "psp-creds"));
        awaitReady("psp-backup");
        // No edit: the route is looked at again on its own within 5 s.
        awaitReady("psp-main");
        assertThat(hub.repository
                        .find(namespace, "psp-main")
                        .orElseThrow()
                        .config()
                        .failoverTargets())
                .containsExactly("psp-backup");
    }

    @Test
    void anInvalidSpecIsNotReadyWithReasonAndFieldsAndWritesNothingUntilFixed() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        Provider bad = apiKeyProvider(namespace, "psp", "psp-creds");
        // Both pass the CRD's admission; only the registry's rules refuse them.
        bad.getSpec().setBaseUrl("http://insecure.example.com");
        bad.getSpec().getConfig().setDefaultHeaders(Map.of("Authorization", "Bearer x"));
        hub.create(bad);

        Condition ready = awaitReadyCondition("psp", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.baseUrl", "spec.config.defaultHeaders.Authorization");
        assertThat(hub.repository.find(namespace, "psp")).isEmpty();
        assertThat(eventReasons()).contains("InvalidSpec");

        hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp")
                .edit(p -> {
                    p.getSpec().setBaseUrl("https://secure.example.com");
                    p.getSpec().getConfig().setDefaultHeaders(null);
                    return p;
                });
        awaitReady("psp");
        assertThat(hub.repository.find(namespace, "psp")).isPresent();
    }

    @Test
    void aMissingSecretIsNotReadyAndRecoversByItselfWhenTheSecretAppears() {
        namespace = hub.newNamespace();
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));

        Condition ready = awaitReadyCondition("psp", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("SecretNotFound");
        assertThat(ready.getMessage()).contains("psp-creds");
        assertThat(hub.repository.find(namespace, "psp")).isEmpty();

        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        awaitReady("psp");
        assertThat(hub.repository
                        .openCredentials(hub.repository.find(namespace, "psp").orElseThrow())
                        .get("apiKey"))
                .isEqualTo(Canary.SECRET);
    }

    @Test
    void deletingTheSecretMakesTheProviderNotReadyButKeepsItsLastGoodRow() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        String id = awaitReady("psp").getStatus().getProviderId();

        hub.client.secrets().inNamespace(namespace).withName("psp-creds").delete();

        Condition ready = awaitReadyCondition("psp", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("SecretNotFound");
        assertThat(get("psp").getStatus().getProviderId())
                .as("the row it still maps to")
                .isEqualTo(id);
        var row = hub.repository.find(namespace, "psp").orElseThrow();
        assertThat(row.version()).isEqualTo(1);
        assertThat(hub.repository.openCredentials(row).get("apiKey")).isEqualTo(Canary.SECRET);
    }

    @Test
    void aSecretWithoutTheMappedKeyIsNotReadyNamingTheKeyAndRecoversWhenItIsAdded() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("apikey", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));

        Condition ready = awaitReadyCondition("psp", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("SecretKeyMissing");
        assertThat(ready.getMessage()).contains("'api-key'", "apiKey", "[apikey]");
        assertThat(hub.repository.find(namespace, "psp")).isEmpty();

        hub.client
                .resource(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)))
                .update();
        awaitReady("psp");
    }

    @Test
    void aCredentialBreakingTheRulesIsNotReadyNamingTheSecretKeyNotTheValue() {
        namespace = hub.newNamespace();
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET + "\n")));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));

        Condition ready = awaitReadyCondition("psp", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("InvalidCredentials");
        assertThat(ready.getMessage()).contains("Secret psp-creds key 'api-key'", "control characters");
        assertThat(hub.repository.find(namespace, "psp")).isEmpty();
    }

    @Test
    void aNameTakenThroughTheApiIsNotTakenOver() {
        namespace = hub.newNamespace();
        var apiRow = hub.repository.create(
                namespace,
                new ProviderSpec(
                        "psp",
                        ProviderType.PAYMENT,
                        "https://api.example.com",
                        io.integrationhub.registry.provider.AuthSpec.NONE,
                        new io.integrationhub.registry.provider.Credentials(Map.of()),
                        ProviderConfig.defaults(),
                        ProviderStatus.ACTIVE),
                ManagedBy.API);
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", Canary.SECRET)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));

        Condition ready = awaitReadyCondition("psp", Condition.FALSE);
        assertThat(ready.getReason()).isEqualTo("NameTaken");
        var row = hub.repository.find(namespace, "psp").orElseThrow();
        assertThat(row.managedBy()).isEqualTo(ManagedBy.API);
        assertThat(row.version()).isEqualTo(apiRow.version());

        // Deleting the Provider must not touch the API's row.
        hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp")
                .delete();
        await().untilAsserted(() -> assertThat(get("psp")).isNull());
        assertThat(hub.repository.find(namespace, "psp")).isPresent();
    }

    @Test
    void twoProvidersClaimingOneTenantAndNameLeaveTheRowToTheOlder() {
        namespace = hub.newNamespace();
        String other = hub.newNamespace();
        String tenant = "shared-" + namespace;
        Provider first = TestResources.provider(namespace, "rates", none());
        first.getSpec().setTenantId(tenant);
        hub.create(first);
        awaitReady("rates");
        Provider second = TestResources.provider(other, "rates", none());
        second.getSpec().setTenantId(tenant);
        second.getSpec().setBaseUrl("https://elsewhere.example.com");
        hub.create(second);

        await().untilAsserted(() -> {
            Provider current = hub.client
                    .resources(Provider.class)
                    .inNamespace(other)
                    .withName("rates")
                    .get();
            // No status until the operator's first reconcile has written one: keep waiting (an NPE would end the wait).
            assertThat(current.getStatus()).isNotNull();
            Condition ready = current.getStatus().condition(Condition.READY).orElseThrow();
            assertThat(ready.getReason()).isEqualTo("DuplicateProvider");
            assertThat(ready.getMessage()).contains(namespace + "/rates");
        });
        var row = hub.repository.find(tenant, "rates").orElseThrow();
        assertThat(row.baseUrl()).isEqualTo("https://api.rates.example.com/v1");
        assertThat(row.version()).as("the newcomer never wrote").isEqualTo(1);
        assertThat(get("rates")
                        .getStatus()
                        .condition(Condition.READY)
                        .orElseThrow()
                        .getStatus())
                .isEqualTo(Condition.TRUE);
    }

    @Test
    void theCircuitColumnFollowsTheDataPlanesBreaker() {
        namespace = hub.newNamespace();
        hub.create(TestResources.provider(namespace, "rates", none()));
        String id = awaitReady("rates").getStatus().getProviderId();

        hub.circuits.set(id, CircuitState.Open);
        await().untilAsserted(
                        () -> assertThat(get("rates").getStatus().getCircuit()).isEqualTo(CircuitState.Open));
        hub.circuits.set(id, CircuitState.HalfOpen);
        await().untilAsserted(
                        () -> assertThat(get("rates").getStatus().getCircuit()).isEqualTo(CircuitState.HalfOpen));
        assertThat(hub.repository.find(namespace, "rates").orElseThrow().version())
                .isEqualTo(1);
    }

    private static AuthSpec none() {
        AuthSpec auth = new AuthSpec();
        auth.setType(AuthType.NONE);
        return auth;
    }

    private Provider get(String name) {
        return hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    private Provider awaitReady(String name) {
        awaitReadyCondition(name, Condition.TRUE);
        return get(name);
    }

    private Condition awaitReadyCondition(String name, String value) {
        return patiently()
                .until(
                        () -> Optional.ofNullable(get(name))
                                .map(Provider::getStatus)
                                .flatMap(s -> s.condition(Condition.READY))
                                .filter(c -> value.equals(c.getStatus()))
                                .orElse(null),
                        c -> c != null);
    }

    private List<String> eventReasons() {
        return hub.client.v1().events().inNamespace(namespace).list().getItems().stream()
                .map(Event::getReason)
                .toList();
    }

    private static ConditionFactory patiently() {
        return await().atMost(Duration.ofSeconds(20));
    }
}
