package io.integrationhub.dataplane.egress;

/** The host has no address: a network failure of the attempt (nothing was sent), not a policy refusal. */
public final class UnresolvableHostException extends RuntimeException {
    public UnresolvableHostException(String message) {
        super(message, null, false, false);
    }
}
