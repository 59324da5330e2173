package io.integrationhub.dataplane.auth;

/** The scopes of the {@code scope} claim (space-separated, RFC 9068). */
public enum Scope {
    CALL("call"),
    PROVIDERS_READ("providers:read"),
    PROVIDERS_WRITE("providers:write"),
    DLQ_READ("dlq:read"),
    DLQ_WRITE("dlq:write");

    private final String claim;

    Scope(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }
}
