package io.integrationhub.dataplane.auth;

import java.util.Set;

/**
 * An authenticated caller acting in one tenant with the scopes its token grants. {@code module} is
 * who it is for fair shares of a provider's limit: the token's {@code module} claim, else its
 * {@code sub}, else {@link #UNKNOWN_MODULE}.
 */
public record Caller(String subject, String tenantId, Set<String> scopes, String module) {
    public static final String UNKNOWN_MODULE = "unknown";

    public Caller {
        scopes = Set.copyOf(scopes);
        module = module == null || module.isBlank()
                ? (subject == null || subject.isBlank() ? UNKNOWN_MODULE : subject)
                : module;
    }

    /** A caller whose module is its subject. */
    public Caller(String subject, String tenantId, Set<String> scopes) {
        this(subject, tenantId, scopes, null);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope.claim());
    }
}
