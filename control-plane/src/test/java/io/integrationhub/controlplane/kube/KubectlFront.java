package io.integrationhub.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP front on 127.0.0.1 that makes fabric8's mock API server usable by real {@code kubectl}
 * (checked with 1.32): it answers discovery and OpenAPI itself ({@link Discovery}), turns lists into
 * Tables when asked ({@link TableAnswers}) and names list kinds ({@code EventList}, not {@code List}), bridges watches ({@link WatchBridge}), selects by fields
 * the mock cannot ({@link FieldSelector}), takes a strategic
 * merge patch as a JSON merge patch (the same for the Secrets and Providers kubectl patches here) and
 * passes everything else to the mock unchanged.
 */
public final class KubectlFront implements AutoCloseable {
    static final String SERVER_VERSION = "v1.32.0";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    /** {@code /api/v1} or {@code /apis/<group>/<version>}: a group version's resource list. */
    private static final Pattern GROUP_VERSION_ROOT = Pattern.compile("/api/(v1)|/apis/([^/]+/[^/]+)");

    private final URI mock;
    /** HTTP/1.1: the JDK client's default HTTP/2 upgrade attempt on plain http is not for the mock. */
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final WatchBridge watches = new WatchBridge(client);
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private KubectlFront(URI mock, int port, Clock clock) throws IOException {
        this.mock = mock;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            } catch (IOException | RuntimeException e) {
                // kubectl hung up, or the mock did: nothing to answer to.
            }
        });
        server.start();
    }

    /** Starts a front for the mock at {@code mock} (e.g. {@code http://127.0.0.1:41234}); port 0 picks a free one. */
    public static KubectlFront start(URI mock, int port, Clock clock) throws IOException {
        return new KubectlFront(mock, port, clock);
    }

    /** The URL to put in a kubeconfig. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        if (method.equals("GET")) {
            Optional<JsonNode> answered = ownAnswer(path);
            if (answered.isPresent()) {
                send(exchange, 200, answered.get().toString());
                return;
            }
            if (query != null && query.contains("watch=true")) {
                watches.bridge(exchange, URI.create("ws://" + mock.getAuthority() + path + "?" + decoded(query)));
                return;
            }
        }
        proxy(exchange, method, path, query);
    }

    /** Discovery, OpenAPI and version documents, which the mock does not serve. */
    private Optional<JsonNode> ownAnswer(String rawPath) throws IOException {
        String path = rawPath.replaceAll("/+$", "");
        if (path.equals("/version")) {
            return Optional.of(Serialization.unmarshal(
                    "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"" + SERVER_VERSION
                            + "\",\"platform\":\"linux/amd64\"}",
                    JsonNode.class));
        }
        Matcher groupVersion = GROUP_VERSION_ROOT.matcher(path);
        boolean served =
                path.equals("/api") || path.equals("/apis") || path.startsWith("/openapi/") || groupVersion.matches();
        if (!served) {
            return Optional.empty();
        }
        Discovery discovery = new Discovery(resources());
        if (path.equals("/api")) return Optional.of(discovery.coreVersions(url().getAuthority()));
        if (path.equals("/apis")) return Optional.of(discovery.groups());
        if (path.equals("/openapi/v2")) return Optional.of(discovery.openApiV2());
        if (path.equals("/openapi/v3")) return Optional.of(discovery.openApiV3Root());
        if (path.startsWith("/openapi/v3/"))
            return discovery.openApiV3(path.substring("/openapi/v3/".length())).map(JsonNode.class::cast);
        if (groupVersion.matches()) {
            return discovery
                    .resourceList(groupVersion.group(1) != null ? groupVersion.group(1) : groupVersion.group(2))
                    .map(JsonNode.class::cast);
        }
        return Optional.empty();
    }

    private void proxy(HttpExchange exchange, String method, String path, String query) throws IOException {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        boolean table = accept != null && accept.contains("as=Table");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/strategic-merge-patch+json")) {
            contentType = MERGE_PATCH;
        }
        Optional<FieldSelector> selector = method.equals("GET") ? FieldSelector.of(query) : Optional.empty();
        if (selector.isPresent()) {
            query = selector.get().remainingQuery();
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (contentType != null && contentType.startsWith("application/vnd.kubernetes.protobuf")) {
            // The mock reads JSON only, and kubectl's typed commands (create namespace, create secret) send protobuf.
            send(
                    exchange,
                    415,
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"code\":415,"
                            + "\"reason\":\"UnsupportedMediaType\",\"message\":\"this development API server reads JSON only, "
                            + "and kubectl create <kind> sends protobuf: write the object to a file and use kubectl apply -f\"}");
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(mock + path + (query == null ? "" : "?" + decoded(query))))
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String answer = response.body();
        if (selector.isPresent() && response.statusCode() == 200) {
            answer = selector.get()
                    .filter(Serialization.unmarshal(answer, JsonNode.class))
                    .toString();
        }
        List<ApiResource> known = resources();
        Optional<ApiResource> resource = ResourcePath.parse(path)
                .flatMap(p -> known.stream().filter(p::is).findFirst());
        if (method.equals("GET") && response.statusCode() == 200 && !answer.isBlank() && resource.isPresent()) {
            JsonNode answered = Serialization.unmarshal(answer, JsonNode.class);
            if (table) {
                answer = TableAnswers.table(answered, resource.get().columns(), clock.instant())
                        .toString();
            } else if (answered instanceof ObjectNode list
                    && "List".equals(list.path("kind").asText())) {
                // The mock answers every list as kind List; typed clients (kubectl describe's events) want <Kind>List.
                answer = list.put("kind", resource.get().kind() + "List")
                        .put("apiVersion", resource.get().groupVersion())
                        .toString();
            }
        }
        response.headers()
                .allValues("Warning")
                .forEach(w -> exchange.getResponseHeaders().add("Warning", w));
        send(exchange, response.statusCode(), answer);
    }

    /** Built-in resources and those of the CRDs stored in the mock now. */
    private List<ApiResource> resources() throws IOException {
        List<ApiResource> all = new ArrayList<>(ApiResource.BUILT_IN);
        try {
            HttpResponse<String> crds = client.send(
                    HttpRequest.newBuilder(URI.create(mock + "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (crds.statusCode() == 200) {
                Serialization.unmarshal(crds.body(), CustomResourceDefinitionList.class)
                        .getItems()
                        .forEach(crd -> all.addAll(ApiResource.of(crd)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return all;
    }

    /** The mock matches field selectors on the decoded text ({@code metadata.name=x}); kubectl sends them encoded. */
    private static String decoded(String query) {
        return query.replace("%3D", "=").replace("%3d", "=").replace("%2C", ",").replace("%2c", ",");
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
