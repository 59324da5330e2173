package io.integrationhub.controlplane.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * {@code GET /health/live} (the process answers), {@code GET /health/ready} (every readiness check
 * passes; 503 naming the failing ones) and {@code GET /metrics} (Prometheus text).
 */
public final class HealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port the port, 0 for any free one
     * @param checks readiness checks by name (e.g. {@code operator}, {@code registry}), evaluated per request
     */
    public static HealthServer start(int port, Map<String, BooleanSupplier> checks, OperatorMetrics metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext(
                "/health/live", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/health/ready", exchange -> {
            Map<String, Boolean> results = evaluate(checks);
            boolean up = results.values().stream().allMatch(Boolean::booleanValue);
            String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"checks\":{"
                    + results.entrySet().stream()
                            .map(e -> "\"" + e.getKey() + "\":\"" + (e.getValue() ? "UP" : "DOWN") + "\"")
                            .collect(Collectors.joining(","))
                    + "}}";
            respond(exchange, up ? 200 : 503, "application/json", body);
        });
        server.createContext("/metrics", exchange -> {
            Map<String, Boolean> gauges = new LinkedHashMap<>();
            evaluate(checks).forEach((name, up) -> gauges.put("integration_hub_operator_check_" + name + "_up", up));
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render(gauges));
        });
        server.start();
        return new HealthServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static Map<String, Boolean> evaluate(Map<String, BooleanSupplier> checks) {
        Map<String, Boolean> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            boolean up;
            try {
                up = check.getAsBoolean();
            } catch (RuntimeException e) {
                up = false; // a check that throws is a failing check
            }
            results.put(name, up);
        });
        return results;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
