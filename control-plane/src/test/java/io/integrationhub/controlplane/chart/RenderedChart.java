package io.integrationhub.controlplane.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** {@code helm template} output read strictly ({@link StrictManifests}: no unknown field, no coerced type). */
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
        return options.apply(new Helm(CHART)
                        .template()
                        .withName(RELEASE)
                        .withNamespace(NAMESPACE)
                        .withKubeVersion(KUBE_VERSION))
                .call();
    }

    static RenderedChart render(UnaryOperator<TemplateCommand> options) {
        return new RenderedChart(StrictManifests.parse(template(options)));
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
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
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
        return objects.stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();
    }

    static Map<String, String> envOf(io.fabric8.kubernetes.api.model.Container container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        container
                .getEnv()
                .forEach(e -> env.put(
                        e.getName(),
                        e.getValue() != null
                                ? e.getValue()
                                : e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null
                                        ? "fieldRef:"
                                                + e.getValueFrom().getFieldRef().getFieldPath()
                                        : null));
        return env;
    }
}
