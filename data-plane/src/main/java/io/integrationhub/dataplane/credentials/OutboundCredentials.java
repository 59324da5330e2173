package io.integrationhub.dataplane.credentials;

import io.integrationhub.registry.provider.Provider;

/** What the attempt loop needs of credentials: the auth to inject, and word of a refused OAuth2 token. */
public interface OutboundCredentials {
    /** What to add to an outbound request to this provider. */
    OutboundAuth authFor(Provider provider) throws OAuth2Failure;

    /** After a 401: drop the token that was refused; whether one immediate retry with a fresh token makes sense. */
    boolean refusedToken(Provider provider, OutboundAuth refused);
}
