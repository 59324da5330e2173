package io.integrationhub.dataplane.auth;

import java.util.Set;

/** An authenticated caller acting in one tenant with the scopes its token grants. */
public record Caller(String subject, String tenantId, Set<String> scopes) {
    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope.claim());
    }
}
