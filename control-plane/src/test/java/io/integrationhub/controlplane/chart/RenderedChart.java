package io.integrationhub.controlplane.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** {@code helm template} output parsed into fabric8's typed objects (a type error fails the parse). */
final class RenderedChart {
    static final Path CHART = Path.of("../helm/integration-hub");
    static final Path PRODUCTION_VALUES = CHART.resolve("ci/production-values.yaml");
    static final String RELEASE = "hub";
    static final String NAMESPACE = "integration-hub";
    /** The chart needs >= 1.25; helm-java's default would be 1.20. */
    static final String KUBE_VERSION = "v1.31.0";

    private final List<HasMetadata> objects;

    private RenderedChart(List<HasMetadata> objects) {
        this.objects = objects;
    }

    static String template(UnaryOperator<TemplateCommand> options) {
        return options.apply(new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)).call();
    }

    static RenderedChart render(UnaryOperator<TemplateCommand> options) {
        String yaml = template(options);
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.isBlank() || document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            Object parsed = Serialization.unmarshal(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)));
            if (parsed instanceof List<?> list) {
                list.forEach(o -> objects.add((HasMetadata) o));
            } else {
                objects.add((HasMetadata) parsed);
            }
        }
        return new RenderedChart(objects);
    }

    static RenderedChart defaults() {
        return render(t -> t);
    }

    static RenderedChart production() {
        return render(t -> t.withValuesFile(PRODUCTION_VALUES));
    }

    List<HasMetadata> all() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + names()));
    }

    <T extends HasMetadata> T only(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    private List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    static Map<String, String> envOf(io.fabric8.kubernetes.api.model.Container container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue() != null ? e.getValue()
                : e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                        ? "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath() : null));
        return env;
    }
}
