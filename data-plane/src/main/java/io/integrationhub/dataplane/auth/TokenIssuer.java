package io.integrationhub.dataplane.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.stream.Collectors;

/**
 * Signs HS256 tokens with the shared secret: the development token of standalone mode, and tests.
 * Its tokens satisfy the hub's own {@link TokenRules} (issuer, audience, longest lifetime).
 */
public final class TokenIssuer {
    private final MACSigner signer;
    private final TokenRules rules;

    public TokenIssuer(String hs256Secret) {
        this(hs256Secret, TokenRules.NONE);
    }

    public TokenIssuer(String hs256Secret, TokenRules rules) {
        this.rules = rules;
        try {
            this.signer = new MACSigner(hs256Secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the JWT secret is too short for HS256", e);
        }
    }

    /** A token of {@code lifetime}, or of the rules' longest lifetime if that is shorter. */
    public String issue(String subject, String tenantId, Duration lifetime, Scope... scopes) {
        return issue(subject, tenantId, null, lifetime, scopes);
    }

    /** As {@link #issue(String, String, Duration, Scope...)}, naming the caller's module (null: none, sub serves). */
    public String issue(String subject, String tenantId, String module, Duration lifetime, Scope... scopes) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(rules.issuer())
                .audience(rules.audience())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(rules.lifetime(lifetime))))
                .claim("tenant", tenantId)
                .claim("scope", Arrays.stream(scopes).map(Scope::claim).collect(Collectors.joining(" ")))
                .claim("module", module)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("token could not be signed", e);
        }
        return jwt.serialize();
    }
}
