package io.integrationhub.controlplane.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.integrationhub.crds.Provider;
import io.integrationhub.crds.RegistryDocument;
import io.integrationhub.crds.spec.AuthSpec;
import io.integrationhub.crds.spec.Patterns;
import io.integrationhub.crds.spec.SecretRef;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.ProviderSpec;
import io.integrationhub.registry.provider.ProviderValidator;
import io.integrationhub.registry.provider.WireName;
import io.integrationhub.registry.validation.FieldError;
import io.integrationhub.registry.validation.ValidationException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a Provider resource and its Secret into the registry's validated {@link ProviderSpec}, in
 * two steps so that a broken spec is reported before a missing Secret: {@link #checkSpec} validates
 * everything but the credential values, {@link #resolve} adds them from the Secret and validates the
 * whole. Both run the registry's {@link ProviderValidator}; errors are re-addressed to the resource's
 * own paths ({@code spec.config.timeoutMs}, {@code Secret x key 'y'}).
 */
public final class ProviderTranslator {
    private static final Pattern TENANT_ID = Pattern.compile(Patterns.TENANT_ID);

    private final ProviderValidator validator;

    public ProviderTranslator(ProviderValidator validator) {
        this.validator = validator;
    }

    /** The tenant a Provider belongs to: {@code spec.tenantId}, or its namespace. */
    public static String tenantOf(Provider resource) {
        String tenantId = resource.getSpec() == null ? null : resource.getSpec().getTenantId();
        return tenantId == null || tenantId.isBlank() ? resource.getMetadata().getNamespace() : tenantId;
    }

    /**
     * Whether the tenant is one the registry may hold: the namespace, or a {@code spec.tenantId}
     * the CRD's pattern allows (the API server enforces it, but the operator does not rely on that).
     */
    public static boolean hasValidTenant(Provider resource) {
        String tenantId = tenantOf(resource);
        return tenantId != null
                && tenantId.length() <= Patterns.TENANT_ID_MAX_LENGTH
                && TENANT_ID.matcher(tenantId).matches();
    }

    /** The Secret a Provider reads its credentials from, if its auth type needs one. */
    public static Optional<SecretRef> secretRefOf(Provider resource) {
        return Optional.ofNullable(resource.getSpec()).map(s -> s.getAuth()).map(AuthSpec::getSecretRef);
    }

    /**
     * Validates the spec without credential values.
     *
     * @return the Secret key to read for each credential entry; empty when the auth type needs none
     * @throws NotReadyException InvalidSpec naming every offending field
     */
    public Map<String, String> checkSpec(Provider resource) throws NotReadyException {
        if (resource.getSpec() == null) {
            throw new NotReadyException(ReadyReason.InvalidSpec, "spec: is required");
        }
        if (!hasValidTenant(resource)) {
            // The registry's document has no tenant, so its validator cannot see this; the value is not quoted (it may
            // be anything).
            throw new NotReadyException(
                    ReadyReason.InvalidSpec,
                    "spec.tenantId: must be 1 to " + Patterns.TENANT_ID_MAX_LENGTH
                            + " letters, digits, '.', '_' and '-', starting and ending with a letter or digit");
        }
        AuthType authType = authType(resource);
        try {
            // "credentials are stored" lets the validator skip them; the Secret is checked next.
            validator.validate(RegistryDocument.of(resource, null), authType, true);
        } catch (ValidationException e) {
            throw new NotReadyException(ReadyReason.InvalidSpec, describe(e, resource, Map.of()));
        }
        Optional<SecretRef> ref = secretRefOf(resource);
        if (authType == null || authType == AuthType.NONE) {
            if (ref.isPresent()) {
                throw new NotReadyException(
                        ReadyReason.InvalidSpec, "spec.auth.secretRef: is not used by auth type none");
            }
            return Map.of();
        }
        if (ref.isEmpty()) {
            throw new NotReadyException(
                    ReadyReason.InvalidSpec,
                    "spec.auth.secretRef: is required for auth type " + WireName.of(authType) + " (credentials "
                            + authType.credentialKeys() + ")");
        }
        return SecretCredentials.secretKeys(authType, ref.get());
    }

    /**
     * The complete registry spec, credentials included.
     *
     * @param secretKeys what {@link #checkSpec} returned
     * @param secret the referenced Secret, if it exists
     * @throws NotReadyException SecretNotFound, SecretKeyMissing or InvalidCredentials
     */
    public ProviderSpec resolve(Provider resource, Map<String, String> secretKeys, Optional<Secret> secret)
            throws NotReadyException {
        Map<String, String> credentials = Map.of();
        if (!secretKeys.isEmpty()) {
            String secretName = secretRefOf(resource).map(SecretRef::getName).orElseThrow();
            Secret found = secret.orElseThrow(() -> new NotReadyException(
                    ReadyReason.SecretNotFound,
                    "Secret " + secretName + " not found in namespace "
                            + resource.getMetadata().getNamespace()));
            credentials = SecretCredentials.read(found, secretKeys);
        }
        try {
            return validator.validateNew(RegistryDocument.of(resource, credentials));
        } catch (ValidationException e) {
            throw new NotReadyException(ReadyReason.InvalidCredentials, describe(e, resource, secretKeys));
        }
    }

    private static AuthType authType(Provider resource) {
        AuthSpec auth = resource.getSpec().getAuth();
        if (auth == null) {
            return AuthType.NONE;
        }
        return auth.getType() == null
                ? null
                : WireName.parse(AuthType.class, WireName.of(auth.getType())).orElse(null);
    }

    /** "spec.baseUrl: must be an https URL; Secret x key 'api-key': must not contain control characters". */
    private static String describe(ValidationException e, Provider resource, Map<String, String> secretKeys) {
        return e.errors().stream()
                .map(error -> pathInResource(error, resource, secretKeys) + ": " + error.message())
                .collect(Collectors.joining("; "));
    }

    private static String pathInResource(FieldError error, Provider resource, Map<String, String> secretKeys) {
        String field = error.field();
        if (field.equals("name")) {
            return "metadata.name";
        }
        if (field.equals("$")) {
            return "spec";
        }
        if (field.equals("auth.credentials")) {
            return "spec.auth.secretRef";
        }
        if (field.startsWith("auth.credentials.")) {
            String entry = field.substring("auth.credentials.".length());
            String secretName = secretRefOf(resource).map(SecretRef::getName).orElse("?");
            return "Secret " + secretName + " key '" + secretKeys.getOrDefault(entry, entry) + "' (credential " + entry
                    + ")";
        }
        return "spec." + field;
    }
}
