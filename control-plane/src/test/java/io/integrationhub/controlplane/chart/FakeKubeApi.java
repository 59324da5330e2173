package io.integrationhub.controlplane.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough Kubernetes API for Helm's {@code lookup} of Secrets: discovery of core/v1 and GET of
 * a Secret (404 unless a test put one there). helm-java's {@code template} renders like an install
 * whose lookups reach the cluster in KUBECONFIG; surefire points KUBECONFIG at the file this server
 * writes, so the chart's "keep the generated master key" logic runs for real.
 */
final class FakeKubeApi implements AutoCloseable {
    private static final Pattern SECRET = Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/?]+)");

    private final HttpServer server;
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger secretLookups = new AtomicInteger();

    private FakeKubeApi(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port and writes the kubeconfig named by the KUBECONFIG variable. */
    static FakeKubeApi start() {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new IllegalStateException("KUBECONFIG is not set (the control-plane pom sets it for surefire)");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FakeKubeApi api = new FakeKubeApi(server);
        server.createContext("/", api::handle);
        server.start();
        try {
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster: {server: "http://127.0.0.1:%d"}
                    users:
                      - name: fake
                        user: {token: not-a-real-token}
                    contexts:
                      - name: fake
                        context: {cluster: fake, user: fake}
                    current-context: fake
                    """.formatted(server.getAddress().getPort()));
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException(e);
        }
        return api;
    }

    /** A Secret the next lookups find (as left by an earlier install). */
    void put(Secret secret) {
        secrets.put(
                secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), secret);
    }

    void clear() {
        secrets.clear();
    }

    int secretLookups() {
        return secretLookups.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Matcher secret = SECRET.matcher(path);
        if (path.equals("/api")) {
            respond(
                    exchange,
                    200,
                    "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}");
        } else if (path.equals("/apis")) {
            respond(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
        } else if (path.equals("/api/v1")) {
            respond(
                    exchange,
                    200,
                    "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[{\"name\":\"secrets\","
                            + "\"singularName\":\"secret\",\"namespaced\":true,\"kind\":\"Secret\",\"verbs\":[\"get\",\"list\"]}]}");
        } else if (path.equals("/version")) {
            respond(exchange, 200, "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.0\"}");
        } else if (secret.matches()) {
            secretLookups.incrementAndGet();
            Secret found = secrets.get(secret.group(1) + "/" + secret.group(2));
            if (found == null) {
                respond(
                        exchange,
                        404,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
                                + "\"code\":404,\"details\":{\"name\":\"" + secret.group(2)
                                + "\",\"kind\":\"secrets\"}}");
            } else {
                respond(exchange, 200, Serialization.asJson(found));
            }
        } else {
            respond(
                    exchange,
                    404,
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
