package io.integrationhub.cli.dev;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs an HS256 JWT the way the standalone hub signs its own development token: the secret's UTF-8
 * bytes as the key, claims {@code sub}, {@code iat}, {@code exp}, {@code tenant} and a space-separated
 * {@code scope}. Done with the JDK's HMAC so that hubctl needs no JOSE library.
 */
final class DevelopmentToken {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private DevelopmentToken() {}

    static String sign(
            String secret, String subject, String tenant, List<String> scopes, Instant now, Duration lifetime) {
        ObjectNode header = Json.mapper().createObjectNode().put("alg", "HS256").put("typ", "JWT");
        ObjectNode claims = Json.mapper()
                .createObjectNode()
                .put("sub", subject)
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond())
                .put("tenant", tenant)
                .put("scope", String.join(" ", scopes));
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "."
                    + BASE64URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    private static String encode(ObjectNode json) {
        try {
            return BASE64URL.encodeToString(Json.mapper().writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
