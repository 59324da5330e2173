package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.crds.RegistryDocument;
import java.util.ArrayList;
import java.util.List;

/** The providers a manifest's failover route names ({@code spec.config.failover.to}), in order. */
final class FailoverTargets {
    private FailoverTargets() {}

    static List<String> of(ProviderManifest manifest) {
        JsonNode to = RegistryDocument.of(manifest.resource(), null)
                .path("config")
                .path("failover")
                .path("to");
        List<String> targets = new ArrayList<>();
        to.forEach(target -> targets.add(target.asText()));
        return targets;
    }
}
