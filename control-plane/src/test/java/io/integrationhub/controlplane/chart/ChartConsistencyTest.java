package io.integrationhub.controlplane.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart is read as strictly as the API server reads it, its defaults agree with each other, and
 * values that contradict each other stop the render with a message naming the values to change.
 */
class ChartConsistencyTest {
    private static final String DATA_PLANE = "hub-integration-hub-data-plane";
    /** The chart looks up its own Secret while rendering (to keep generated keys): it needs an API server. */
    private static FakeKubeApi cluster;

    @BeforeAll
    static void startFakeCluster() {
        cluster = FakeKubeApi.start();
    }

    @AfterAll
    static void stopFakeCluster() {
        cluster.close();
    }

    @Test
    void aTypoedFieldIsCaughtWhereTheTypedParseAloneKeptQuiet() {
        String typo = RenderedChart.template(t -> t).replaceFirst("containerPort:", "containerport:");

        assertThat(leniently(typo)).as("fabric8's typed parse alone accepts it").isNotEmpty();
        assertThatThrownBy(() -> StrictManifests.parse(typo))
                .hasMessageContaining("unknown field \"containerport\"")
                .hasMessageContaining("Deployment/");
    }

    @Test
    void aQuotedNumberIsCaughtWhereTheTypedParseAloneCoercedIt() {
        String quoted = RenderedChart.template(t -> t).replaceFirst("(?m)^  replicas: (\\d+)$", "  replicas: \"$1\"");
        assertThat(quoted).contains("replicas: \"");

        assertThat(leniently(quoted).stream()
                        .filter(Deployment.class::isInstance)
                        .map(Deployment.class::cast)
                        .map(d -> d.getSpec().getReplicas()))
                .as("fabric8's typed parse alone turns \"1\" into 1")
                .contains(1);
        assertThatThrownBy(() -> StrictManifests.parse(quoted))
                .hasMessageContaining(".spec.replicas: \"1\" is a string where the API expects a number");
    }

    @Test
    void bothValueSetsRenderStrictly() {
        assertThat(RenderedChart.defaults().all()).isNotEmpty();
        assertThat(RenderedChart.production().all()).isNotEmpty();
    }

    @Test
    void theDefaultsRunOneDataPlaneReplicaWithoutAutoscalerOrDisruptionBudget() {
        RenderedChart chart = RenderedChart.defaults();
        assertThat(chart.one(Deployment.class, DATA_PLANE).getSpec().getReplicas())
                .isEqualTo(1);
        assertThat(chart.all().stream().map(HasMetadata::getKind))
                .doesNotContain("HorizontalPodAutoscaler", "PodDisruptionBudget");
    }

    @Test
    void severalDataPlaneReplicasWithoutValkeyAreRefusedUnlessAcceptedOutLoud() {
        assertThatThrownBy(() -> RenderedChart.template(t -> t.set("dataPlane.replicas", 3)))
                .hasMessageContaining("dataPlane: up to 3 replicas and no Valkey")
                .hasMessageContaining("secrets.valkeyUrl")
                .hasMessageContaining("dataPlane.approximateLimitsWithoutValkey=true");
        assertThatThrownBy(() -> RenderedChart.template(t -> t.set("dataPlane.autoscaling.enabled", true)))
                .hasMessageContaining("dataPlane: up to 10 replicas and no Valkey");

        assertThat(RenderedChart.render(
                                t -> t.set("dataPlane.replicas", 3).set("secrets.valkeyUrl", "redis://valkey:6379"))
                        .one(Deployment.class, DATA_PLANE)
                        .getSpec()
                        .getReplicas())
                .isEqualTo(3);
        assertThat(RenderedChart.render(t ->
                                t.set("dataPlane.replicas", 3).set("dataPlane.approximateLimitsWithoutValkey", true))
                        .one(Deployment.class, DATA_PLANE)
                        .getSpec()
                        .getReplicas())
                .isEqualTo(3);
    }

    @Test
    void aDisruptionBudgetThatCouldNeverLetADrainThroughIsRefused() {
        assertThatThrownBy(() -> RenderedChart.template(t -> t.set("dataPlane.podDisruptionBudget.enabled", true)))
                .hasMessageContaining(
                        "dataPlane.podDisruptionBudget.minAvailable (1) must be below the data plane's fewest replicas (1)");
    }

    @Test
    void autoscalingBoundsMustBeInOrder() {
        assertThatThrownBy(() -> RenderedChart.template(t -> t.set("secrets.valkeyUrl", "redis://valkey:6379")
                        .set("dataPlane.autoscaling.enabled", true)
                        .set("dataPlane.autoscaling.minReplicas", 5)
                        .set("dataPlane.autoscaling.maxReplicas", 2)))
                .hasMessageContaining(
                        "dataPlane.autoscaling.minReplicas (5) is above dataPlane.autoscaling.maxReplicas (2)");
    }

    @Test
    void severalOperatorsWithoutLeaderElectionAreRefused() {
        assertThatThrownBy(() -> RenderedChart.template(t -> t.set("operator.leaderElection.enabled", false)))
                .hasMessageContaining("operator.replicas is 2 with operator.leaderElection.enabled=false");
        assertThat(RenderedChart.render(t ->
                                t.set("operator.leaderElection.enabled", false).set("operator.replicas", 1))
                        .all())
                .isNotEmpty();
    }

    @Test
    void chartMetadataLinksToNothingThatDoesNotExist() throws IOException {
        // The project has no public home yet: no home, sources or icon rather than links that lead nowhere.
        String chart = Files.readString(RenderedChart.CHART.resolve("Chart.yaml"));
        assertThat(chart).doesNotContain("home:", "sources:", "icon:", "http://", "https://");
    }

    @Test
    void theNotesSayWhatToDoNext() throws IOException {
        String notes = Files.readString(RenderedChart.CHART.resolve("templates/NOTES.txt"));
        assertThat(notes)
                .contains(
                        "Next steps:",
                        "rollout status deployment/",
                        "kubectl apply -n <namespace> -f provider.yaml",
                        "INTEGRATION_JWT_SECRET",
                        "NO VALKEY");
    }

    /** The check before this one: fabric8's typed parse, which coerces types and keeps unknown fields. */
    private static List<HasMetadata> leniently(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(d -> !d.isBlank() && !d.lines().allMatch(l -> l.isBlank() || l.startsWith("#")))
                .map(d -> (HasMetadata)
                        Serialization.unmarshal(new ByteArrayInputStream(d.getBytes(StandardCharsets.UTF_8))))
                .toList();
    }
}
