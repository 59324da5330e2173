package io.integrationhub.dataplane.auth;

import java.time.Duration;

/**
 * What a token must state beyond a valid signature and {@code exp}, from the settings: the issuer
 * and audience when the hub shares an identity provider with other services (without them, a token
 * that identity provider minted for another service, with a {@code tenant} claim, would pass), and
 * the longest lifetime accepted ({@code exp - iat}; a token must then carry {@code iat}).
 *
 * @param issuer   the exact {@code iss} required, or null for any
 * @param audience the value {@code aud} must contain, or null for any
 * @param maxTtl   the longest accepted lifetime, or null for no limit
 */
public record TokenRules(String issuer, String audience, Duration maxTtl) {
    /** Signature, {@code exp} and {@code tenant} only: the rules before any were configured. */
    public static final TokenRules NONE = new TokenRules(null, null, null);
    /**
     * How far {@code iat} may lie in the future, and {@code exp}/{@code nbf} in the past, to allow
     * for clocks that disagree (the JOSE library's own default).
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** The lifetime to give a token this hub issues itself: {@code wanted}, shortened to {@link #maxTtl}. */
    public Duration lifetime(Duration wanted) {
        return maxTtl == null || wanted.compareTo(maxTtl) <= 0 ? wanted : maxTtl;
    }
}
