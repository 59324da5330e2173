package io.integrationhub.controlplane.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.List;
import java.util.Locale;

/**
 * One resource the front announces: where it lives, its kind and names, and (for custom
 * resources) the printer columns {@code kubectl get} shows.
 */
record ApiResource(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        boolean statusSubresource,
        List<CustomResourceColumnDefinition> columns) {

    /** What the operator, kubectl and the tests touch besides custom resources. */
    static final List<ApiResource> BUILT_IN = List.of(
            builtIn("", "namespaces", "Namespace", false, "ns"),
            builtIn("", "secrets", "Secret", true),
            builtIn("", "configmaps", "ConfigMap", true, "cm"),
            builtIn("", "events", "Event", true, "ev"),
            builtIn("", "serviceaccounts", "ServiceAccount", true, "sa"),
            builtIn(
                    "apiextensions.k8s.io",
                    "customresourcedefinitions",
                    "CustomResourceDefinition",
                    false,
                    "crd",
                    "crds"),
            builtIn("coordination.k8s.io", "leases", "Lease", true),
            builtIn("events.k8s.io", "events", "Event", true, "ev"));

    private static ApiResource builtIn(
            String group, String plural, String kind, boolean namespaced, String... shortNames) {
        return new ApiResource(
                group,
                "v1",
                plural,
                kind.toLowerCase(Locale.ROOT),
                kind,
                namespaced,
                List.of(shortNames),
                false,
                List.of());
    }

    static List<ApiResource> of(CustomResourceDefinition crd) {
        var spec = crd.getSpec();
        return spec.getVersions().stream()
                .filter(CustomResourceDefinitionVersion::getServed)
                .map(v -> new ApiResource(
                        spec.getGroup(),
                        v.getName(),
                        spec.getNames().getPlural(),
                        spec.getNames().getSingular(),
                        spec.getNames().getKind(),
                        "Namespaced".equals(spec.getScope()),
                        spec.getNames().getShortNames() == null
                                ? List.of()
                                : spec.getNames().getShortNames(),
                        v.getSubresources() != null && v.getSubresources().getStatus() != null,
                        v.getAdditionalPrinterColumns() == null ? List.of() : v.getAdditionalPrinterColumns()))
                .toList();
    }

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The URL prefix of the group version: {@code api/v1} or {@code apis/<group>/<version>}, no leading slash. */
    String root() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
}
