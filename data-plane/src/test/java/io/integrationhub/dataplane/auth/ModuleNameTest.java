package io.integrationhub.dataplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The module a call is made for: the token's module claim, else its sub, else unknown. */
class ModuleNameTest {
    private static final String SECRET = "unit-secret-of-at-least-thirty-two-bytes";

    @ParameterizedTest(name = "module {0}, sub {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "payments          | svc-42                  | payments",
                "none              | svc-42                  | svc-42",
                "none              | none                    | unknown",
                "''                | svc-42                  | svc-42",
                "'pay ments'       | svc-42                  | svc-42",
                "reports/../x      | svc-42                  | svc-42",
                "-leading          | none                    | unknown",
                "reporting.batch   | none                    | reporting.batch",
                "ns:sa@cluster_1   | none                    | ns:sa@cluster_1",
                "none              | 'system:serviceaccount' | system:serviceaccount",
                "none              | a/b                     | unknown",
            })
    void theModuleClaimElseTheSubjectElseUnknown(String module, String subject, String expected) {
        assertThat(ModuleName.of(module, subject)).isEqualTo(expected);
    }

    @Test
    void aModuleLongerThan64CharactersOrNotAStringIsPassedOver() {
        assertThat(ModuleName.of("m".repeat(64), "s")).isEqualTo("m".repeat(64));
        assertThat(ModuleName.of("m".repeat(65), "s")).isEqualTo("s");
        assertThat(ModuleName.of(42, "s")).isEqualTo("s");
        assertThat(ModuleName.of(Set.of("payments"), null)).isEqualTo(ModuleName.UNKNOWN);
    }

    @Test
    void theVerifiedCallerCarriesItsTokensModule() throws Exception {
        TokenVerifier verifier = new TokenVerifier(SECRET, null);
        assertThat(verifier.verify(sign("payments", "svc-42")).module()).isEqualTo("payments");
        assertThat(verifier.verify(sign(null, "svc-42")).module()).isEqualTo("svc-42");
        assertThat(verifier.verify(sign(null, null)).module()).isEqualTo(ModuleName.UNKNOWN);
    }

    private static String sign(String module, String subject) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("tenant", "t1")
                .claim("scope", "call")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
        if (module != null) {
            claims.claim("module", module);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
