package io.integrationhub.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** What a token must be beyond its signature: canonically encoded, issued now or before, and the configured rules. */
class TokenRulesTest {
    private static final String SECRET = "unit-secret-of-at-least-thirty-two-bytes";
    private static final TokenVerifier LENIENT = new TokenVerifier(SECRET, null);

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject("s")
                .claim("tenant", "t1")
                .claim("scope", "call")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static void assertRefused(TokenVerifier verifier, String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(TokenVerifier.InvalidTokenException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void onlyTheCanonicalBase64urlSpellingOfATokenIsAccepted() throws Exception {
        String token = sign(claims().build());
        assertThat(LENIENT.verify(token).tenantId()).isEqualTo("t1");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        char last = signature.charAt(signature.length() - 1);
        // 32 signature bytes take 43 characters: the last one carries 2 unused bits, which must be zero.
        char sameBytes = "AEIMQUYcgkosw048".indexOf(last) >= 0 ? (char) (last + 1) : last;
        for (String spelling : new String[] {
            token + "=",
            token + "==",
            token + "%3D",
            token.replace(".", "=."),
            token.substring(0, token.length() - 1) + sameBytes,
            " " + token,
            token.replace(".", ". "),
            token + ".",
            token.replace('.', '+')
        }) {
            if (!spelling.equals(token)) {
                assertRefused(LENIENT, spelling, "canonical base64url");
            }
        }
    }

    @Test
    void aTokenIssuedInTheFutureIsRefusedBeyondTheClockSkew() throws Exception {
        Instant now = Instant.now();
        assertThat(LENIENT.verify(sign(claims().issueTime(Date.from(now.plusSeconds(30)))
                                .build()))
                        .tenantId())
                .isEqualTo("t1");
        assertRefused(
                LENIENT,
                sign(claims().issueTime(
                                Date.from(now.plus(TokenRules.CLOCK_SKEW).plusSeconds(60)))
                        .expirationTime(Date.from(now.plusSeconds(3600)))
                        .build()),
                "issued in the future");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        TokenVerifier strict =
                new TokenVerifier(SECRET, null, new TokenRules("https://idp.example", "integration-hub", null));
        assertThat(strict.verify(sign(claims().issuer("https://idp.example")
                                .audience("integration-hub")
                                .build()))
                        .tenantId())
                .isEqualTo("t1");
        assertThat(strict.verify(sign(claims().issuer("https://idp.example")
                                .audience(java.util.List.of("other", "integration-hub"))
                                .build()))
                        .tenantId())
                .isEqualTo("t1");
        assertRefused(strict, sign(claims().audience("integration-hub").build()), "iss, aud");
        assertRefused(
                strict,
                sign(claims().issuer("https://evil.example")
                        .audience("integration-hub")
                        .build()),
                "iss, aud");
        assertRefused(strict, sign(claims().issuer("https://idp.example").build()), "iss, aud");
        assertRefused(
                strict,
                sign(claims().issuer("https://idp.example")
                        .audience("billing-service")
                        .build()),
                "iss, aud");
        // Unset, any issuer and audience (or none) pass: today's behaviour.
        assertThat(LENIENT.verify(sign(claims().issuer("https://evil.example")
                                .audience("billing")
                                .build()))
                        .tenantId())
                .isEqualTo("t1");
    }

    @Test
    void theLongestLifetimeIsEnforcedWhenConfiguredAndNeedsIat() throws Exception {
        TokenVerifier bounded = new TokenVerifier(SECRET, null, new TokenRules(null, null, Duration.ofHours(1)));
        Instant now = Instant.now();
        assertThat(bounded.verify(sign(claims().expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                                .build()))
                        .tenantId())
                .isEqualTo("t1");
        assertRefused(
                bounded,
                sign(claims().expirationTime(
                                Date.from(now.plus(Duration.ofHours(1)).plusSeconds(1)))
                        .build()),
                "lives longer than 3600 s");
        assertRefused(bounded, sign(claims().issueTime(null).build()), "invalid");
        assertThat(LENIENT.verify(sign(claims().expirationTime(Date.from(now.plus(Duration.ofDays(365))))
                                .build()))
                        .tenantId())
                .isEqualTo("t1");
    }

    @Test
    void theHubsOwnTokensFollowItsRules() throws Exception {
        TokenRules rules = new TokenRules("https://hub.local", "integration-hub", Duration.ofMinutes(15));
        String developmentToken =
                new TokenIssuer(SECRET, rules).issue("developer", "default", Duration.ofDays(30), Scope.values());
        Caller caller = new TokenVerifier(SECRET, null, rules).verify(developmentToken);
        assertThat(caller.tenantId()).isEqualTo("default");
        JWTClaimsSet issued = SignedJWT.parse(developmentToken).getJWTClaimsSet();
        assertThat(Duration.between(
                        issued.getIssueTime().toInstant(),
                        issued.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(rules.lifetime(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
        assertThat(TokenRules.NONE.lifetime(Duration.ofDays(30))).isEqualTo(Duration.ofDays(30));
    }
}
