package io.integrationhub.crds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A Provider resource as the registry's provider document (DESIGN §2's REST shape), so that the
 * operator, the REST API and hubctl are held to ONE rule set (the registry's validator). The
 * resource's name becomes {@code name}; {@code tenantId} and {@code auth.secretRef} stay behind
 * (the tenant is not part of the document, the reference is replaced by the credentials). Used by
 * the operator (credentials from the Secret in the cluster) and by {@code hubctl apply} (from a
 * local Secret manifest or the environment).
 */
public final class RegistryDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RegistryDocument() {}

    /**
     * @param credentials the credential entries read from the Secret, or null to leave
     *     {@code auth.credentials} out (spec-only validation)
     */
    public static ObjectNode of(Provider resource, Map<String, String> credentials) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("name", resource.getMetadata().getName());
        if (resource.getSpec() != null) {
            ObjectNode spec = MAPPER.valueToTree(resource.getSpec());
            spec.remove("tenantId");
            doc.setAll(spec);
        }
        if (doc.get("auth") instanceof ObjectNode auth) {
            auth.remove("secretRef");
            if (credentials != null) {
                ObjectNode entries = auth.putObject("credentials");
                credentials.forEach(entries::put);
            }
        }
        return doc;
    }
}
