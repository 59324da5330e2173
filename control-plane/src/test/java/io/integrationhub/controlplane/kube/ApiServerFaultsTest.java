package io.integrationhub.controlplane.kube;

import static io.integrationhub.controlplane.TestResources.apiKeyProvider;
import static io.integrationhub.controlplane.TestResources.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.integrationhub.controlplane.OperatorHarness;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.status.Condition;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a real API server throws at the operator, thrown by the mock ({@link Faults}): a 409 on a
 * status write, a watch closed under the informer and one answered 410 Gone (relist), a Secret
 * deleted and created again. Each time the operator converges: the registry row and the Ready
 * condition end up matching the Provider and its Secret.
 */
@Tag("faults")
class ApiServerFaultsTest {
    private static OperatorHarness hub;

    @BeforeAll
    static void start() {
        hub = OperatorHarness.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void aConflictOnTheStatusWriteIsRetriedUntilTheProviderIsReady() {
        String namespace = hub.newNamespace();
        int firedBefore = hub.dispatcher.faults().fired();
        hub.dispatcher.faults().conflictOnNextStatusWrite("providers");
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", "k1")));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));

        awaitReady(namespace, "psp");
        assertThat(hub.dispatcher.faults().fired()).as("the 409 was answered").isEqualTo(firedBefore + 1);
        assertThat(hub.repository.find(namespace, "psp")).isPresent();
    }

    @Test
    void aClosedWatchAndA410GoneOnTheNextOneEndInARelistThatSeesTheChangesMadeMeanwhile() {
        String namespace = hub.newNamespace();
        readyProvider(namespace, "k1");
        int firedBefore = hub.dispatcher.faults().fired();

        hub.dispatcher.faults().goneOnNextWatch("providers");
        assertThat(hub.dispatcher.faults().closeOpenWatches("providers"))
                .as("open Provider watches")
                .isPositive();
        moveBaseUrl(namespace, "https://moved.example.com");

        // The informer reconnects with a backoff (about 15 s on a loaded machine): a minute's patience.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(hub.dispatcher.faults().fired())
                    .as("the next watch was answered 410")
                    .isEqualTo(firedBefore + 1);
            assertThat(hub.repository.find(namespace, "psp").orElseThrow().baseUrl())
                    .isEqualTo("https://moved.example.com");
        });
        // And the informer watches again: a later change still arrives.
        moveBaseUrl(namespace, "https://moved-again.example.com");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(hub.repository
                                .find(namespace, "psp")
                                .orElseThrow()
                                .baseUrl())
                        .isEqualTo("https://moved-again.example.com"));
    }

    @Test
    void aSecretDeletedAndCreatedAgainTakesTheProviderToNotReadyAndBackWithTheNewCredential() {
        String namespace = hub.newNamespace();
        readyProvider(namespace, "first");

        hub.client.secrets().inNamespace(namespace).withName("psp-creds").delete();
        Condition notReady = awaitCondition(namespace, "psp", Condition.FALSE);
        System.out.println(
                "Secret deleted: Ready=False, reason " + notReady.getReason() + ": " + notReady.getMessage());

        hub.create(secret(namespace, "psp-creds", Map.of("api-key", "second")));
        awaitReady(namespace, "psp");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var row = hub.repository.find(namespace, "psp").orElseThrow();
            assertThat(hub.repository.openCredentials(row).get("apiKey")).isEqualTo("second");
        });
    }

    /** A merge patch without resourceVersion: the operator's status writes cannot make it conflict. */
    private static void moveBaseUrl(String namespace, String baseUrl) {
        hub.client
                .resources(Provider.class)
                .inNamespace(namespace)
                .withName("psp")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"baseUrl\":\"" + baseUrl + "\"}}");
    }

    /** Provider "psp" with its Secret holding {@code apiKey}, once Ready. */
    private static void readyProvider(String namespace, String apiKey) {
        hub.create(secret(namespace, "psp-creds", Map.of("api-key", apiKey)));
        hub.create(apiKeyProvider(namespace, "psp", "psp-creds"));
        awaitReady(namespace, "psp");
    }

    private static void awaitReady(String namespace, String name) {
        awaitCondition(namespace, name, Condition.TRUE);
    }

    private static Condition awaitCondition(String namespace, String name, String value) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> Optional.ofNullable(hub.client
                                        .resources(Provider.class)
                                        .inNamespace(namespace)
                                        .withName(name)
                                        .get())
                                .map(Provider::getStatus)
                                .flatMap(s -> s.condition(Condition.READY))
                                .filter(c -> value.equals(c.getStatus()))
                                .orElse(null),
                        c -> c != null);
    }
}
