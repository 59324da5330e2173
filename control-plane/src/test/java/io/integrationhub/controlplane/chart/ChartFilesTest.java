package io.integrationhub.controlplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.integrationhub.crds.CrdConstants;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Files of the chart that Helm does not check: the shipped CRD and the documentation of values.yaml. */
class ChartFilesTest {

    @Test
    void theChartShipsExactlyTheGeneratedCrd() throws IOException {
        byte[] generated;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(CrdConstants.CRD_RESOURCE)) {
            assertThat(in).as("generated CRD in the crds jar").isNotNull();
            generated = in.readAllBytes();
        }
        Path shipped = RenderedChart.CHART
                .resolve("crds")
                .resolve(CrdConstants.CRD_NAME + "-" + CrdConstants.VERSION + ".yml");
        assertThat(shipped).exists();
        assertThat(Files.readAllBytes(shipped))
                .as("%s drifted from the generated CRD: rebuild crds (it copies the file) and commit it", shipped)
                .isEqualTo(generated);
        try (var files = Files.list(RenderedChart.CHART.resolve("crds"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactly(shipped.getFileName().toString());
        }
    }

    @Test
    void everyValuesKeyIsCommented() throws IOException {
        Pattern key = Pattern.compile("^\\s*[A-Za-z0-9_]+:.*");
        List<String> lines = Files.readAllLines(RenderedChart.CHART.resolve("values.yaml"));
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (key.matcher(line).matches()
                    && !line.contains("#")
                    && (i == 0 || !lines.get(i - 1).trim().startsWith("#"))) {
                undocumented.add((i + 1) + ": " + line);
            }
        }
        assertThat(undocumented).isEmpty();
    }
}
