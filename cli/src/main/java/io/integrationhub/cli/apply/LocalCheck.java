package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.error.HubctlException;
import io.integrationhub.cli.http.Json;
import io.integrationhub.crds.RegistryDocument;
import io.integrationhub.crds.spec.Patterns;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.registry.provider.WireName;
import io.integrationhub.registry.validation.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a Provider manifest with the hub's own rules (the registry's {@link ProviderValidator}, the
 * one the REST API and the operator run, and the CRD's tenant pattern) before apply sends anything,
 * so that a file with one bad document changes nothing. {@code http://} URLs pass here: only the hub knows whether it allows
 * them ({@code INTEGRATION_ALLOW_INSECURE_HTTP}).
 */
final class LocalCheck {
    private static final ProviderValidator RULES = new ProviderValidator(true);
    private static final Pattern TENANT_ID = Pattern.compile(Patterns.TENANT_ID);

    private LocalCheck() {}

    /**
     * @param credentials the credentials apply would send; without any, a provider that exists may
     *     keep its stored ones, so they are not required here (whether it exists is checked later)
     * @throws HubctlException (exit 3) naming every offending field by its path in the manifest
     */
    static void check(ProviderManifest manifest, Optional<Map<String, String>> credentials) {
        List<String> details = new ArrayList<>();
        String tenant = manifest.tenant();
        if (tenant != null
                && (tenant.length() > Patterns.TENANT_ID_MAX_LENGTH
                        || !TENANT_ID.matcher(tenant).matches())) {
            // The value is not quoted: it may be anything, and it would have gone out as the X-Tenant-ID header.
            boolean fromSpec = manifest.resource().getSpec().getTenantId() != null
                    && !manifest.resource().getSpec().getTenantId().isBlank();
            details.add((fromSpec ? "spec.tenantId" : "metadata.namespace") + ": must be 1 to "
                    + Patterns.TENANT_ID_MAX_LENGTH
                    + " letters, digits, '.', '_' and '-', starting and ending with a letter or digit");
        }
        ObjectNode document = RegistryDocument.of(manifest.resource(), credentials.orElse(null));
        try {
            if (credentials.isPresent()) {
                RULES.validateNew(document);
            } else {
                AuthType type = WireName.parse(AuthType.class, Json.text(document, "auth.type"))
                        .orElse(null);
                RULES.validate(document, type, true);
            }
        } catch (ValidationException e) {
            e.errors().forEach(error -> details.add(manifestPath(error.field()) + ": " + error.message()));
        }
        if (!details.isEmpty()) {
            throw HubctlException.invalid(
                    details.size() == 1 ? "1 field is invalid" : details.size() + " fields are invalid", details);
        }
    }

    /** Where a field of the registry's document is in a Provider manifest. */
    static String manifestPath(String field) {
        if (field.equals("name")) {
            return "metadata.name";
        }
        if (field.startsWith("auth.credentials")) {
            return "credential " + field.substring("auth.credentials".length()).replaceFirst("^\\.", "")
                    + " (from the Secret, --from-env or --from-file)";
        }
        return field.equals("$") ? "spec" : "spec." + field;
    }
}
