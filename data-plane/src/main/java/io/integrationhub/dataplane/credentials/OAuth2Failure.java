package io.integrationhub.dataplane.credentials;

/**
 * The token endpoint could not give a token. {@code retryable} when it was unreachable or answered
 * 5xx; a 4xx means the client credentials are wrong and retrying will not help.
 */
public final class OAuth2Failure extends RuntimeException {
    private final boolean retryable;
    private final Integer status;

    public OAuth2Failure(String message, boolean retryable, Integer status) {
        super(message, null, false, false);
        this.retryable = retryable;
        this.status = status;
    }

    public boolean retryable() {
        return retryable;
    }

    public Integer status() {
        return status;
    }
}
