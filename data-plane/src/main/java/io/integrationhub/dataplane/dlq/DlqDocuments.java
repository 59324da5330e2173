package io.integrationhub.dataplane.dlq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.dlq.DeadLetter;
import io.integrationhub.registry.dlq.DeadLetterStatus;
import io.integrationhub.registry.dlq.FailedRequest;
import io.integrationhub.registry.dlq.RetryRequests;
import io.integrationhub.registry.provider.AuthSpec;
import io.integrationhub.registry.provider.AuthType;
import io.integrationhub.registry.provider.Provider;
import io.integrationhub.registry.provider.WireName;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The public JSON of dead letters. The stored request never held the injected credentials; as a
 * second guard, header and query values whose names carry secrets (the provider's API key name,
 * Authorization, cookies, tokens) are masked. The body is shown only when asked for.
 */
public final class DlqDocuments {
    static final String MASK = "***";
    private static final Set<String> SECRET_HEADERS = Set.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "x-api-key",
            "api-key",
            "apikey",
            "x-auth-token",
            "x-access-token");
    private static final Set<String> SECRET_QUERY =
            Set.of("api_key", "apikey", "api-key", "access_token", "token", "client_secret", "password");

    private DlqDocuments() {}

    public static ObjectNode entry(DeadLetter entry) {
        ObjectNode doc = Json.mapper()
                .createObjectNode()
                .put("id", entry.id())
                .put("providerId", entry.providerId())
                .put("idempotencyKey", entry.idempotencyKey())
                .put("method", entry.method())
                .put("path", entry.path())
                .put("status", WireName.of(entry.status()))
                .put("attempts", entry.attempts());
        ObjectNode error =
                doc.putObject("lastError").put("kind", entry.lastError().kind());
        if (entry.lastError().status() != null) {
            error.put("status", entry.lastError().status());
        }
        error.put("message", entry.lastError().message());
        doc.put("createdAt", entry.createdAt().toString())
                .put("updatedAt", entry.updatedAt().toString())
                .put("expiresAt", entry.expiresAt().toString());
        return doc;
    }

    /** An entry with its stored request; {@code bodyBase64} only when {@code includeBody}. */
    public static ObjectNode detail(
            DeadLetter entry, FailedRequest request, Optional<Provider> provider, boolean includeBody) {
        ObjectNode doc = entry(entry);
        Optional<AuthSpec> apiKey = provider.map(Provider::auth).filter(auth -> auth.type() == AuthType.API_KEY);
        String keyHeader = apiKey.filter(a -> a.in() == AuthSpec.ApiKeyLocation.HEADER)
                .map(AuthSpec::name)
                .orElse("");
        String keyQuery = apiKey.filter(a -> a.in() == AuthSpec.ApiKeyLocation.QUERY)
                .map(AuthSpec::name)
                .orElse("");
        ObjectNode req = doc.putObject("request")
                .put("method", request.method())
                .put("path", request.path())
                .put("query", maskQuery(request.query(), keyQuery));
        ObjectNode headers = req.putObject("headers");
        request.headers().forEach((name, values) -> {
            boolean secret = SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || name.equalsIgnoreCase(keyHeader);
            values.forEach(value -> headers.withArray(name).add(secret ? MASK : value));
        });
        req.put("contentType", request.contentType());
        req.put("bodySize", request.body().length);
        if (includeBody) {
            req.put("bodyBase64", Base64.getEncoder().encodeToString(request.body()));
        }
        return doc;
    }

    public static ObjectNode batch(RetryRequests.Batch batch, String statusUrl) {
        return Json.mapper()
                .createObjectNode()
                .put("batchId", batch.id())
                .put("queued", batch.queued())
                .put("createdAt", batch.createdAt().toString())
                .put("statusUrl", statusUrl);
    }

    /**
     * Where a retry-all stands: entries per status, {@code removed} those since deleted, purged or
     * retried again on their own, {@code done} once none is retrying any more.
     */
    public static ObjectNode progress(RetryRequests.BatchProgress progress) {
        ObjectNode doc = Json.mapper()
                .createObjectNode()
                .put("batchId", progress.id())
                .put("createdAt", progress.createdAt().toString())
                .put("queued", progress.queued());
        int counted = 0;
        for (DeadLetterStatus status : DeadLetterStatus.values()) {
            doc.put(WireName.of(status), progress.count(status));
            counted += progress.count(status);
        }
        doc.put("removed", Math.max(0, progress.queued() - counted));
        doc.put("done", progress.count(DeadLetterStatus.RETRYING) == 0);
        return doc;
    }

    static String maskQuery(String query, String keyName) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        List<String> parts = new ArrayList<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                name = rawName.toLowerCase(Locale.ROOT);
            }
            boolean secret = eq >= 0 && (SECRET_QUERY.contains(name) || name.equalsIgnoreCase(keyName));
            parts.add(secret ? rawName + "=" + MASK : pair);
        }
        return String.join("&", parts);
    }
}
