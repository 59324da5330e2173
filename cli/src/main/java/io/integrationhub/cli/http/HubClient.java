package io.integrationhub.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.cli.VersionProvider;
import io.integrationhub.cli.config.Target;
import io.integrationhub.cli.error.HubctlException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Requests to one hub ({@link Target}): the bearer token, the tenant header, JSON in and out, and
 * transport failures turned into exit code 5 with the endpoint named. The token is only ever put in
 * the {@code Authorization} header.
 */
public final class HubClient {
    public static final String API = "/api/v1/integrations";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static volatile HttpClient shared;

    private final Target target;

    public HubClient(Target target) {
        this.target = target;
    }

    public Target target() {
        return target;
    }

    /** The same hub, addressed for another tenant (a document naming its own); this one when null. */
    public HubClient forTenant(String tenant) {
        return tenant == null ? this : new HubClient(target.forTenant(tenant));
    }

    /** A path segment (a provider's id or name) encoded for the URL. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HubResponse get(String path) {
        return send("GET", path, null, null, Map.of(), DEFAULT_TIMEOUT);
    }

    public HubResponse postJson(String path, JsonNode body, Duration timeout) {
        return send("POST", path, bytes(body), "application/json", Map.of(), timeout);
    }

    public HubResponse mergePatch(String path, JsonNode patch, String ifMatch) {
        return send(
                "PATCH",
                path,
                bytes(patch),
                "application/merge-patch+json",
                ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch),
                DEFAULT_TIMEOUT);
    }

    public HubResponse delete(String path, String ifMatch) {
        return send(
                "DELETE", path, null, null, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch), DEFAULT_TIMEOUT);
    }

    /** One request; a 4xx/5xx answer is returned, only transport failures throw. */
    public HubResponse send(
            String method,
            String path,
            byte[] body,
            String contentType,
            Map<String, String> headers,
            Duration timeout) {
        URI uri = URI.create(target.endpoint() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + target.token())
                .header("Accept", "application/json, application/problem+json;q=0.9, */*;q=0.5")
                .header("User-Agent", "hubctl/" + VersionProvider.version());
        if (target.tenant() != null) {
            request.header("X-Tenant-ID", target.tenant());
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new HubResponse(response.statusCode(), response.headers(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw HubctlException.unavailable(
                    "cannot reach the hub at " + target.endpoint() + ": connect timed out" + checkEndpoint(), e);
        } catch (HttpTimeoutException e) {
            throw HubctlException.unavailable(
                    "the hub at " + target.endpoint() + " did not answer " + method + " " + path + " within "
                            + timeout.toSeconds() + " s",
                    e);
        } catch (ConnectException e) {
            throw HubctlException.unavailable(
                    "cannot reach the hub at " + target.endpoint() + ": connection refused" + checkEndpoint(), e);
        } catch (IOException e) {
            throw HubctlException.unavailable(
                    "cannot reach the hub at " + target.endpoint() + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                            + checkEndpoint(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HubctlException.unavailable("interrupted while waiting for the hub", e);
        } catch (IllegalArgumentException e) {
            throw HubctlException.usage("cannot send to " + uri + ": " + e.getMessage(), e);
        }
    }

    private String checkEndpoint() {
        return target.context() == null
                ? " (check $HUBCTL_ENDPOINT)"
                : " (check the endpoint of context '" + target.context() + "': hubctl config view)";
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private HttpClient http() {
        HttpClient client = shared;
        if (client == null) {
            synchronized (HubClient.class) {
                client = shared;
                if (client == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(CONNECT_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER);
                    if ("http".equalsIgnoreCase(target.endpoint().getScheme())) {
                        builder.sslContext(PlainHttp.SSL_CONTEXT);
                    }
                    client = builder.build();
                    shared = client;
                }
            }
        }
        return client;
    }

    /**
     * The JDK client sets up TLS when it is built, whether or not it will use it; reading the CA
     * certificates alone costs tens of milliseconds. A hub reached over plain http gets a context
     * that trusts nothing and is never used.
     */
    private static final class PlainHttp {
        static final SSLContext SSL_CONTEXT = create();

        private static SSLContext create() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[0], new TrustManager[0], null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS is not available", e);
            }
        }
    }
}
