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
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies bearer tokens: the signature (HS256 with the shared secret, RS256 with keys from the
 * JWKS URL), {@code exp} (required), and the presence of the {@code tenant} claim.
 */
public final class TokenVerifier {
    /** Verified tokens are trusted again for at most this long (and never past their exp). */
    static final long CACHE_TTL_MILLIS = 60_000;
    private static final int CACHE_MAX = 10_000;

    private final ConfigurableJWTProcessor<SecurityContext> hs256;
    private final ConfigurableJWTProcessor<SecurityContext> rs256;
    /**
     * A module sends the same token with every call until it expires: parsing and checking it again
     * (JSON, HMAC or RSA, claims) cost ~40 us and ~23 KB per call, the largest CPU item of a call
     * (bench/run.sh --profile). Only successful verifications are kept, keyed by the exact token.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Caller caller, long untilMillis) {}

    /** Either argument may be null; at least one must be given. */
    public TokenVerifier(String hs256Secret, String jwksUrl) {
        if (hs256Secret == null && jwksUrl == null) {
            throw new IllegalArgumentException("a JWT secret or a JWKS URL is required");
        }
        this.hs256 = hs256Secret == null ? null : processor(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256,
                new SecretKeySpec(hs256Secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")));
        this.rs256 = jwksUrl == null ? null : processor(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, jwks(jwksUrl)));
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
        JWTClaimsSet claims;
        try {
            String algorithm = com.nimbusds.jose.JWSObject.parse(token).getHeader().getAlgorithm().getName();
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
            throw new InvalidTokenException("the bearer token is invalid or expired");
        } catch (JOSEException e) {
            throw new InvalidTokenException("the bearer token could not be verified");
        }
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
        Caller caller = new Caller(claims.getSubject(), tenantId, scopes);
        if (verified.size() >= CACHE_MAX) {
            verified.clear();
        }
        verified.put(token, new Verified(caller, Math.min(claims.getExpirationTime().getTime(), now + CACHE_TTL_MILLIS)));
        return caller;
    }

    private static ConfigurableJWTProcessor<SecurityContext> processor(
            com.nimbusds.jose.proc.JWSKeySelector<SecurityContext> selector) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(selector);
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, Set.of("exp")));
        return processor;
    }

    private static JWKSource<SecurityContext> jwks(String url) {
        try {
            return JWKSourceBuilder.create(URI.create(url).toURL()).retrying(true).build();
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
