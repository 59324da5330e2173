package io.integrationhub.dataplane.auth;

import java.util.Set;

/**
 * An authenticated caller acting in one tenant with the scopes its token grants, for one module of
 * the platform ({@link ModuleName}).
 */
public record Caller(String subject, String tenantId, Set<String> scopes, String module) {
    public Caller {
        scopes = Set.copyOf(scopes);
        module = module == null ? ModuleName.of(null, subject) : module;
    }

    /** A caller whose token names no {@code module}: its subject is the module. */
    public Caller(String subject, String tenantId, Set<String> scopes) {
        this(subject, tenantId, scopes, null);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope.claim());
    }
}
