package io.integrationhub.dataplane.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.JsonResponses;
import io.integrationhub.registry.Json;
import io.integrationhub.registry.db.Database;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /health/live} and {@code /health/ready}, unauthenticated, for probes and load balancers. */
public final class HealthRoutes implements HttpService {
    public static final String PATH = "/health";
    private final Database database;
    private final Map<String, Supplier<String>> components;

    /**
     * @param components optional parts and how they are doing ({@code UP}, {@code DEGRADED},
     *     {@code DISABLED}): reported, never fatal to readiness
     */
    public HealthRoutes(Database database, Map<String, Supplier<String>> components) {
        this.database = database;
        this.components = new LinkedHashMap<>(components);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", this::live).get("/ready", this::ready);
    }

    private void live(ServerRequest req, ServerResponse res) {
        JsonResponses.send(res, Status.OK_200, Json.mapper().createObjectNode().put("status", "UP"));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        // Migrations run before the server starts listening, so a reachable database is a migrated one.
        boolean postgres = database.isReachable();
        ObjectNode body = Json.mapper().createObjectNode().put("status", postgres ? "UP" : "DOWN");
        ObjectNode checks = body.putObject("checks").put("postgres", postgres ? "UP" : "DOWN");
        boolean degraded = false;
        for (Map.Entry<String, Supplier<String>> component : components.entrySet()) {
            String status = component.getValue().get();
            checks.put(component.getKey(), status);
            degraded |= status.equals("DEGRADED") || status.equals("DOWN");
        }
        body.put("degraded", degraded);
        JsonResponses.send(res, postgres ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }
}
