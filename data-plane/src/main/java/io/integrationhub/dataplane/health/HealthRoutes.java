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

/** {@code /health/live} and {@code /health/ready}, unauthenticated, for probes and load balancers. */
public final class HealthRoutes implements HttpService {
    public static final String PATH = "/health";
    private final Database database;

    public HealthRoutes(Database database) {
        this.database = database;
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
        body.putObject("checks").put("postgres", postgres ? "UP" : "DOWN");
        JsonResponses.send(res, postgres ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }
}
