package io.integrationhub.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.integrationhub.controlplane.ExampleManifests;
import io.integrationhub.controlplane.OperatorHarness;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform team's day with the real {@code kubectl} against the mock API server behind
 * {@link KubectlFront}, the operator running on a real PostgreSQL: apply the CRD, every example and
 * their Secrets, see them Ready in {@code kubectl get providers}, be refused an invalid Provider with
 * the admission message, rotate a Secret, delete a Provider through the finalizer. Fails (never
 * skips) when kubectl is missing.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlEndToEndTest {
    private static final String NAMESPACE = "platform";
    private static final Path CHART_CRD = Path.of("../helm/integration-hub/crds/providers.integrationhub.io-v1.yml");

    private static OperatorHarness hub;
    private static KubectlFront front;
    private static Kubectl kubectl;

    @BeforeAll
    static void start(@TempDir Path directory) throws Exception {
        Kubectl.binary();
        hub = OperatorHarness.start();
        front = KubectlFront.start(
                URI.create("http://" + hub.server.getHostName() + ":" + hub.server.getPort()), 0, Clock.systemUTC());
        kubectl = Kubectl.forServer(front.url(), directory);
    }

    @AfterAll
    static void stop() {
        if (front != null) front.close();
        if (hub != null) hub.close();
    }

    @Test
    @Order(1)
    void appliesTheCrdAndEveryExampleAndShowsThemReadyInTheColumnsAUserExpects() {
        System.out.println(
                kubectl.run("version", "--client").stdout().lines().findFirst().orElse(""));
        assertSucceeded(kubectl.run("apply", "-f", CHART_CRD.toString()));
        // Not "kubectl create namespace": kubectl's typed create commands send protobuf, which the mock cannot read.
        assertSucceeded(kubectl.runWithInput(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}",
                "apply",
                "-f",
                "-"));
        Kubectl.Result applied = kubectl.run("apply", "-n", NAMESPACE, "-f", ExampleManifests.DIRECTORY.toString());
        assertSucceeded(applied);
        assertThat(applied.stdout())
                .contains("provider.integrationhub.io/ads-api created", "secret/ads-api-creds created");

        AtomicReference<String> table = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Kubectl.Result get = kubectl.run("get", "providers", "-n", NAMESPACE);
            assertSucceeded(get);
            table.set(get.stdout());
            List<String> lines = get.stdout().lines().toList();
            assertThat(lines).hasSize(1 + ExampleManifests.files().size());
            assertThat(Arrays.asList(lines.get(0).trim().split("\\s+")))
                    .containsExactly("NAME", "URL", "AUTH", "READY", "CIRCUIT", "AGE");
            assertThat(lines.subList(1, lines.size()))
                    .allSatisfy(row -> assertThat(row.split("\\s+")[3]).as(row).isEqualTo("True"));
        });
        System.out.println("kubectl get providers -n " + NAMESPACE + ":\n" + table.get());
        assertThat(table.get()).contains("https://ads.example.com/v3", "oauth2_client_credentials", "Closed");
    }

    @Test
    @Order(2)
    void anInvalidProviderIsRefusedWithTheAdmissionMessage() {
        Kubectl.Result refused = kubectl.runWithInput("""
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: no-token-url}
                spec:
                  type: advertising
                  baseUrl: https://ads.example.com
                  auth: {type: oauth2_client_credentials, secretRef: {name: ads-api-creds}}
                """, "apply", "-n", NAMESPACE, "-f", "-");

        System.out.println("kubectl apply of an invalid Provider:\n" + refused.stderr());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr())
                .contains(
                        "The Provider \"no-token-url\" is invalid: "
                                + "spec.auth: Invalid value: \"object\": auth.tokenUrl is required for oauth2_client_credentials");
        assertThat(kubectl.run("get", "provider", "no-token-url", "-n", NAMESPACE)
                        .stderr())
                .contains("NotFound");

        Kubectl.Result typo = kubectl.runWithInput("""
                apiVersion: integrationhub.io/v1
                kind: Provider
                metadata: {name: typo}
                spec: {type: sms, baseUrl: https://sms.example.com, config: {timeoutms: 5000}}
                """, "apply", "-n", NAMESPACE, "-f", "-");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.stderr()).contains("strict decoding error: unknown field \"spec.config.timeoutms\"");
    }

    @Test
    @Order(3)
    void rotatingASecretWithKubectlApplyReSealsTheRowAndDescribeShowsTheEvent() {
        var before = hub.repository.find(NAMESPACE, "mailer").orElseThrow();
        assertSucceeded(kubectl.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata: {name: mailer-creds}
                type: Opaque
                stringData: {username: hub, password: rotated-by-kubectl}
                """, "apply", "-n", NAMESPACE, "-f", "-"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var row = hub.repository.find(NAMESPACE, "mailer").orElseThrow();
            assertThat(hub.repository.openCredentials(row).get("password")).isEqualTo("rotated-by-kubectl");
            assertThat(row.version()).isEqualTo(before.version() + 1);
        });
        // kubectl describe lists the operator's events (selected by involvedObject, which the front filters).
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(kubectl.run("describe", "provider", "mailer", "-n", NAMESPACE)
                                .stdout())
                        .contains("Ready", "Reconciled")
                        .containsPattern("Normal\\s+Created")
                        .containsPattern(
                                "Normal\\s+CredentialsResealed\\s+\\S+\\s+\\S+\\s+registry row \\S+ is at version "
                                        + (before.version() + 1)));
    }

    @Test
    @Order(4)
    void deleteReturnsOnceTheFinalizerSoftDeletedTheRow() {
        String id = hub.repository.find(NAMESPACE, "mailer").orElseThrow().id();

        Kubectl.Result deleted = kubectl.run("delete", "provider", "mailer", "-n", NAMESPACE, "--timeout=45s");

        assertSucceeded(deleted);
        assertThat(deleted.stdout()).contains("provider.integrationhub.io \"mailer\" deleted");
        assertThat(hub.repository.findAnyById(id).orElseThrow().deletedAt())
                .as("soft-deleted before kubectl returned")
                .isNotNull();
        assertThat(kubectl.run("get", "provider", "mailer", "-n", NAMESPACE).stderr())
                .contains("NotFound");
    }

    private static void assertSucceeded(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
