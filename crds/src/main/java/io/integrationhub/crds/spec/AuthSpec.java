package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * The non-secret auth settings of DESIGN §2 plus {@link SecretRef}, which says where the credential
 * values are. The rules below mirror the registry's per-type requirements so that kubectl rejects
 * an incomplete Provider at once; {@code in} is left out of them because it is a CEL keyword.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "in", "name", "tokenUrl", "scopes", "secretRef"})
@ValidationRule(
        value = "(self.type == 'none') == !has(self.secretRef)",
        message = "auth.secretRef is required for every auth type except none, and not allowed for none")
@ValidationRule(
        value = "self.type != 'api_key' || has(self.name)",
        message = "auth.name (the header or query parameter carrying the key) is required for api_key")
@ValidationRule(
        value = "self.type != 'oauth2_client_credentials' || has(self.tokenUrl)",
        message = "auth.tokenUrl is required for oauth2_client_credentials")
public class AuthSpec {
    @JsonPropertyDescription("none, api_key, bearer, basic or oauth2_client_credentials.")
    @Required
    private AuthType type;

    @JsonProperty("in")
    @JsonPropertyDescription("api_key only: header (default) or query.")
    private ApiKeyLocation in;

    @JsonPropertyDescription("api_key only: the header or query parameter name, e.g. X-Api-Key.")
    @Pattern(Patterns.TOKEN)
    @Size(max = 128)
    private String name;

    @JsonPropertyDescription("oauth2_client_credentials only: the token endpoint.")
    @Pattern(Patterns.HTTP_URL_WITH_QUERY)
    @Size(max = 2048)
    private String tokenUrl;

    @JsonPropertyDescription("oauth2_client_credentials only: scopes to request.")
    @Size(max = 50)
    private List<String> scopes;

    @JsonPropertyDescription("The Secret, in the Provider's namespace, holding the credentials.")
    private SecretRef secretRef;

    public AuthType getType() {
        return type;
    }

    public void setType(AuthType type) {
        this.type = type;
    }

    public ApiKeyLocation getIn() {
        return in;
    }

    public void setIn(ApiKeyLocation in) {
        this.in = in;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTokenUrl() {
        return tokenUrl;
    }

    public void setTokenUrl(String tokenUrl) {
        this.tokenUrl = tokenUrl;
    }

    public List<String> getScopes() {
        return scopes;
    }

    public void setScopes(List<String> scopes) {
        this.scopes = scopes;
    }

    public SecretRef getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(SecretRef secretRef) {
        this.secretRef = secretRef;
    }
}
