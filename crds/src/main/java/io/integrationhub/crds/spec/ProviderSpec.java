package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** DESIGN §2's provider, with {@code metadata.name} as its name and credentials in a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"tenantId", "type", "baseUrl", "auth", "config", "status"})
@ValidationRule(
        value =
                "has(self.tenantId) == has(oldSelf.tenantId) && (!has(self.tenantId) || self.tenantId == oldSelf.tenantId)",
        message = "spec.tenantId is immutable; create a new Provider to move it to another tenant")
public class ProviderSpec {
    @JsonPropertyDescription("Tenant owning the provider; defaults to the namespace. Immutable.")
    @Pattern(Patterns.TENANT_ID)
    @Size(max = Patterns.TENANT_ID_MAX_LENGTH)
    private String tenantId;

    @JsonPropertyDescription("Kind of external API: payment, sms, email, analytics, advertising or custom.")
    @Required
    private ProviderType type;

    @JsonPropertyDescription(
            "Base URL every call path is appended to; https (http only when the hub allows insecure http).")
    @Required
    @Pattern(Patterns.HTTP_URL)
    @Size(max = 2048)
    private String baseUrl;

    @JsonPropertyDescription("How the hub authenticates to the provider; absent means none.")
    private AuthSpec auth;

    @JsonPropertyDescription(
            "Timeout, limits, retry and circuit breaker settings; absent fields take the hub's defaults.")
    private ProviderConfig config;

    @JsonPropertyDescription("active (default) or disabled: a disabled provider refuses calls.")
    private ProviderState status;

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public ProviderType getType() {
        return type;
    }

    public void setType(ProviderType type) {
        this.type = type;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public AuthSpec getAuth() {
        return auth;
    }

    public void setAuth(AuthSpec auth) {
        this.auth = auth;
    }

    public ProviderConfig getConfig() {
        return config;
    }

    public void setConfig(ProviderConfig config) {
        this.config = config;
    }

    public ProviderState getStatus() {
        return status;
    }

    public void setStatus(ProviderState status) {
        this.status = status;
    }
}
