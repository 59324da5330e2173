package io.integrationhub.dataplane.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies bearer tokens: canonical encoding ({@link CompactJws}), the signature (HS256 with the
 * shared secret, RS256 with keys from the JWKS URL), {@code exp} (required), {@code iat} not in the
 * future, the configured {@link TokenRules} (issuer, audience, longest lifetime), and the presence
 * of the {@code tenant} claim.
 */
public final class TokenVerifier {
    /** Verified tokens are trusted again for at most this long (and never past their exp). */
    static final long CACHE_TTL_MILLIS = 60_000;

    private static final int CACHE_MAX = 10_000;

    private final ConfigurableJWTProcessor<SecurityContext> hs256;
    private final ConfigurableJWTProcessor<SecurityContext> rs256;
    private final TokenRules rules;
    /**
     * A module sends the same token with every call until it expires: parsing and checking it again
     * (JSON, HMAC or RSA, claims) cost ~40 us and ~23 KB per call, the largest CPU item of a call
     * (bench/run.sh --profile). Only successful verifications are kept, keyed by the exact token.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Caller caller, long untilMillis) {}

    /** Either argument may be null; at least one must be given. */
    public TokenVerifier(String hs256Secret, String jwksUrl) {
        this(hs256Secret, jwksUrl, TokenRules.NONE);
    }

    /** Either key argument may be null; at least one must be given. */
    public TokenVerifier(String hs256Secret, String jwksUrl, TokenRules rules) {
        this.rules = rules;
        if (hs256Secret == null && jwksUrl == null) {
            throw new IllegalArgumentException("a JWT secret or a JWKS URL is required");
        }
        this.hs256 = hs256Secret == null
                ? null
                : processor(
                        new SingleKeyJWSKeySelector<>(
                                JWSAlgorithm.HS256,
                                new SecretKeySpec(hs256Secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")),
                        rules);
        this.rs256 = jwksUrl == null
                ? null
                : processor(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, jwks(jwksUrl)), rules);
    }

    /**
     * @throws InvalidTokenException with a reason safe to show the caller
     */
    public Caller verify(String token) {
        long now = System.currentTimeMillis();
        Verified hit = verified.get(token);
        if (hit != null && now < hit.untilMillis()) {
            return hit.caller();
        }
        if (!CompactJws.isCanonical(token)) {
            throw new InvalidTokenException(
                    "the bearer token is not a JWT in canonical base64url (no padding or white space)");
        }
        JWTClaimsSet claims;
        try {
            String algorithm = com.nimbusds.jose.JWSObject.parse(token)
                    .getHeader()
                    .getAlgorithm()
                    .getName();
            ConfigurableJWTProcessor<SecurityContext> processor = switch (algorithm) {
                case "HS256" -> hs256;
                case "RS256" -> rs256;
                default -> null;
            };
            if (processor == null) {
                throw new InvalidTokenException("tokens signed with " + algorithm + " are not accepted");
            }
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("the bearer token is not a JWT");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("the bearer token is invalid or expired"
                    + (rules.issuer() != null || rules.audience() != null
                            ? ", or not issued for this hub (iss, aud)"
                            : ""));
        } catch (JOSEException e) {
            throw new InvalidTokenException("the bearer token could not be verified");
        }
        checkTimes(claims, now);
        Object tenant = claims.getClaim("tenant");
        if (!(tenant instanceof String tenantId) || tenantId.isBlank()) {
            throw new InvalidTokenException("the bearer token has no tenant claim");
        }
        if (!Authenticator.TENANT.matcher(tenantId).matches()) {
            throw new InvalidTokenException("the bearer token's tenant claim is not a valid tenant id");
        }
        Object scope = claims.getClaim("scope");
        Set<String> scopes = new HashSet<>();
        if (scope instanceof String text) {
            for (String part : text.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    scopes.add(part);
                }
            }
        }
        Caller caller = new Caller(
                claims.getSubject(),
                tenantId,
                scopes,
                claims.getClaim("module") instanceof String module ? module : null);
        if (verified.size() >= CACHE_MAX) {
            verified.clear();
        }
        verified.put(
                token, new Verified(caller, Math.min(claims.getExpirationTime().getTime(), now + CACHE_TTL_MILLIS)));
        return caller;
    }

    /** What the JOSE library leaves out: {@code iat} in the future, and a lifetime over {@link TokenRules#maxTtl}. */
    private void checkTimes(JWTClaimsSet claims, long now) {
        Date issued = claims.getIssueTime();
        if (issued != null && issued.getTime() > now + TokenRules.CLOCK_SKEW.toMillis()) {
            throw new InvalidTokenException("the bearer token is issued in the future (iat)");
        }
        if (rules.maxTtl() != null
                && claims.getExpirationTime().getTime() - issued.getTime()
                        > rules.maxTtl().toMillis()) {
            throw new InvalidTokenException(
                    "the bearer token lives longer than " + rules.maxTtl().toSeconds() + " s (exp - iat)");
        }
    }

    private static ConfigurableJWTProcessor<SecurityContext> processor(
            com.nimbusds.jose.proc.JWSKeySelector<SecurityContext> selector, TokenRules rules) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(selector);
        Set<String> required = new HashSet<>(Set.of("exp"));
        if (rules.maxTtl() != null) {
            required.add("iat"); // a lifetime needs a start
        }
        // An exact-match claim is also a required one, so the issuer is only listed when configured.
        JWTClaimsSet exact = rules.issuer() == null
                ? null
                : new JWTClaimsSet.Builder().issuer(rules.issuer()).build();
        if (rules.audience() != null) {
            required.add("aud");
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                rules.audience() == null ? null : Set.of(rules.audience()), exact, required, null));
        return processor;
    }

    private static JWKSource<SecurityContext> jwks(String url) {
        try {
            return JWKSourceBuilder.create(URI.create(url).toURL())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("the JWKS URL is not a valid URL");
        }
    }

    /** The token is missing, malformed, badly signed, expired or lacks a tenant. */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
