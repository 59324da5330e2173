package io.integrationhub.controlplane.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.integrationhub.controlplane.MockApiServer;
import io.integrationhub.crds.admission.ProviderAdmission;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The front's own answers, seen by a plain HTTP client as kubectl sees them. */
class KubectlFrontTest {
    private final AdmittingCrudDispatcher dispatcher = new AdmittingCrudDispatcher(ProviderAdmission.ofGeneratedCrd());
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private KubernetesMockServer mock;
    private KubernetesClient client;
    private KubectlFront front;

    @BeforeEach
    void start() throws Exception {
        mock = MockApiServer.start(dispatcher);
        client = mock.createClient();
        front = KubectlFront.start(
                URI.create("http://" + mock.getHostName() + ":" + mock.getPort()), 0, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        front.close();
        client.close();
        mock.destroy();
    }

    @Test
    void aWatchIsStreamedOneEventPerLine() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("payments")
                        .endMetadata()
                        .build())
                .create();

        try (BufferedReader events = watch("/api/v1/namespaces?watch=true")) {
            assertThat(events.readLine()).contains("\"type\":\"ADDED\"", "\"name\":\"payments\"");
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("billing")
                            .endMetadata()
                            .build())
                    .create();
            assertThat(events.readLine()).contains("\"type\":\"ADDED\"", "\"name\":\"billing\"");
        }
    }

    @Test
    void aWatchTheServerAnswers410IsTheErrorEventARealApiServerStreams() throws Exception {
        dispatcher.faults().goneOnNextWatch("namespaces");

        try (BufferedReader events = watch("/api/v1/namespaces?watch=true&resourceVersion=1")) {
            assertThat(events.readLine())
                    .startsWith("{\"type\":\"ERROR\",\"object\":{")
                    .contains("\"code\":410", "\"reason\":\"Expired\"");
            assertThat(events.readLine()).as("the stream ends").isNull();
        }
    }

    @Test
    void aCustomResourceListIsATableWithThePrinterColumnsInOrderWhenAskedForOne() throws Exception {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(io.integrationhub.controlplane.OperatorHarness.generatedCrd())
                .create();

        HttpResponse<String> table = http.send(
                HttpRequest.newBuilder(front.url().resolve("/apis/integrationhub.io/v1/namespaces/x/providers"))
                        .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.body())
                .contains("\"kind\":\"Table\"")
                .containsSubsequence(
                        "\"name\":\"Name\"",
                        "\"name\":\"URL\"",
                        "\"name\":\"AUTH\"",
                        "\"name\":\"READY\"",
                        "\"name\":\"CIRCUIT\"",
                        "\"name\":\"AGE\"");
    }

    @Test
    void agesReadAsKubectlPrintsThem() {
        assertThat(TableAnswers.age(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(TableAnswers.age(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(TableAnswers.age(Duration.ofMinutes(45))).isEqualTo("45m");
        assertThat(TableAnswers.age(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
        assertThat(TableAnswers.age(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(TableAnswers.age(Duration.ofHours(3 * 24 + 4))).isEqualTo("3d4h");
        assertThat(TableAnswers.age(Duration.ofDays(40))).isEqualTo("40d");
    }

    private BufferedReader watch(String pathAndQuery) throws Exception {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(front.url().resolve(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }
}
