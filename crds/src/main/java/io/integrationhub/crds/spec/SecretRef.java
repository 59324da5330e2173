package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * Where a Provider's credentials live: a Secret in the Provider's own namespace (never another
 * one, so a Provider cannot read Secrets its author could not). {@code keys} maps each credential
 * entry of the auth type to the Secret key holding it; an entry not mapped is read from the Secret
 * key of the same name. Entries per type: api_key {@code apiKey}; bearer {@code token}; basic
 * {@code username}, {@code password} (the keys of a {@code kubernetes.io/basic-auth} Secret);
 * oauth2_client_credentials {@code clientId}, {@code clientSecret}. Example:
 * {@code secretRef: {name: stripe-creds, keys: {apiKey: api-key}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "keys"})
public class SecretRef {
    @JsonPropertyDescription("Name of the Secret in the Provider's namespace.")
    @Required
    @Pattern(Patterns.DNS_1123_SUBDOMAIN)
    @Size(min = 1, max = 253)
    private String name;

    @JsonPropertyDescription(
            "Credential entry -> Secret key, e.g. {apiKey: api-key}. Unmapped entries use the key of the same name.")
    @Size(max = 4)
    private Map<String, String> keys;

    public SecretRef() {}

    public SecretRef(String name, Map<String, String> keys) {
        this.name = name;
        this.keys = keys;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Map<String, String> getKeys() {
        return keys;
    }

    public void setKeys(Map<String, String> keys) {
        this.keys = keys;
    }

    /** The Secret key that holds {@code credentialEntry}. */
    public String secretKeyFor(String credentialEntry) {
        return keys == null ? credentialEntry : keys.getOrDefault(credentialEntry, credentialEntry);
    }
}
