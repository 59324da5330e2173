package io.integrationhub.dataplane.config;

import io.integrationhub.dataplane.auth.TokenRules;

/**
 * How callers' bearer tokens are verified.
 *
 * @param jwtSecret INTEGRATION_JWT_SECRET (HS256, at least 32 bytes), or null
 * @param jwksUrl   INTEGRATION_JWKS_URL, or null; production needs this or the secret
 * @param rules     issuer, audience and longest lifetime a token may claim (INTEGRATION_JWT_ISSUER|AUDIENCE|MAX_TTL)
 */
public record TokenSettings(String jwtSecret, String jwksUrl, TokenRules rules) {
    @Override
    public String toString() {
        // The secret stays out of every rendering.
        return "Tokens[secret=" + (jwtSecret != null) + ", jwks=" + jwksUrl + ", " + rules + "]";
    }
}
