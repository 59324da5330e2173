package io.integrationhub.controlplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minimal values of docs/deployment.md ("helm install with minimal values"), taken from the
 * document as written, render a working release: one data-plane replica with the image and database
 * they name, and the operator. So the example a reader copies cannot drift from the chart.
 */
class DeploymentDocsValuesTest {
    private static final Path DOC = Path.of("../docs/deployment.md");
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
    void theMinimalValuesOfTheDeploymentGuideRenderOneDataPlaneAndTheOperator(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("minimal-values.yaml"), minimalValues());

        RenderedChart chart = RenderedChart.render(t -> t.withValuesFile(values));

        Deployment dataPlane = chart.one(Deployment.class, "hub-integration-hub-data-plane");
        assertThat(dataPlane.getSpec().getReplicas()).isEqualTo(1);
        assertThat(dataPlane
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example.com/integration-hub-data-plane:0.1.0");
        assertThat(chart.one(Deployment.class, "hub-integration-hub-operator")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example.com/integration-hub-operator:0.1.0");
        assertThat(chart.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "hub-integration-hub-config")
                        .getData())
                .containsEntry("INTEGRATION_DB_URL", "jdbc:postgresql://postgres.databases.svc:5432/integration_hub");
    }

    /** The first yaml block after the heading that introduces the minimal values. */
    private static String minimalValues() throws IOException {
        String doc = Files.readString(DOC);
        int section = doc.indexOf("\n## `helm install` with minimal values\n");
        assertThat(section).as("docs/deployment.md section").isNotNegative();
        int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("\n```", start) + 1);
    }
}
