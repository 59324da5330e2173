package io.integrationhub.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One context of the config file: the hub's endpoint, the tenant (sent as {@code X-Tenant-ID}; when
 * absent the token's tenant applies), and where the token is read from: a file ({@code tokenFile}),
 * an environment variable ({@code tokenEnv}) or, for {@code --token-stdin}, the file itself
 * ({@code token}; the file is private to its owner).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"endpoint", "tenant", "tokenFile", "tokenEnv", "token"})
public record ContextEntry(String endpoint, String tenant, String tokenFile, String tokenEnv, String token) {
    static final String MASK = "***";

    public ContextEntry withEndpoint(String value) {
        return new ContextEntry(value, tenant, tokenFile, tokenEnv, token);
    }

    public ContextEntry withTenant(String value) {
        return new ContextEntry(endpoint, value, tokenFile, tokenEnv, token);
    }

    /** Replaces the token source; a context has at most one. */
    public ContextEntry withTokenSource(String file, String envName, String inline) {
        return new ContextEntry(endpoint, tenant, file, envName, inline);
    }

    /** The same entry with an inline token shown as {@value #MASK}. */
    public ContextEntry masked() {
        return token == null ? this : new ContextEntry(endpoint, tenant, tokenFile, tokenEnv, MASK);
    }

    /** Where the token comes from, for tables: {@code file:PATH}, {@code env:NAME}, {@code ***} or null. */
    public String tokenSource() {
        if (tokenFile != null) {
            return "file:" + tokenFile;
        }
        if (tokenEnv != null) {
            return "env:" + tokenEnv;
        }
        return token == null ? null : MASK;
    }
}
