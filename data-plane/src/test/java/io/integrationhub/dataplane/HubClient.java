package io.integrationhub.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.Canary;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plain HTTP client for tests that records every answer in the {@link Canary} journal, so the
 * final hygiene scan sees everything the hub ever answered.
 */
public final class HubClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public HubClient(URI base) {
        this.base = base;
    }

    /** An answer: status, headers and body as text. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }
    }

    public Answer get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Answer post(String path, String token, String json) {
        return send("POST", path, token, json, Map.of("Content-Type", "application/json"));
    }

    public Answer send(String method, String path, String token, String body, Map<String, String> headers) {
        return send(method, path, token, body, List.copyOf(headers.entrySet()));
    }

    /** As {@link #send(String, String, String, String, Map)}, with headers in order; a name may repeat. */
    public Answer send(String method, String path, String token, String body, List<Map.Entry<String, String>> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(header -> request.header(header.getKey(), header.getValue()));
        try {
            HttpResponse<String> response =
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body());
            Canary.record(
                    "http " + method + " " + path, answer.status() + " " + answer.headers() + "\n" + answer.body());
            return answer;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
