package io.integrationhub.dataplane;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.dataplane.api.ApiException;
import io.integrationhub.dataplane.api.Problems;
import io.integrationhub.dataplane.call.CallRoutes;
import io.integrationhub.dataplane.dlq.DlqRoutes;
import io.integrationhub.dataplane.health.HealthRoutes;
import io.integrationhub.dataplane.observe.MetricsRoutes;
import io.integrationhub.dataplane.openapi.OpenApiRoutes;
import io.integrationhub.dataplane.provider.ProviderRoutes;
import io.integrationhub.registry.problem.ProblemType;

/**
 * Which path goes to which service on the REST and management ports, failures as problem documents,
 * and 404 for every other path. A function of the services, so that a routing test can hand it fakes
 * without starting a hub; {@link Hub} hands it the real ones.
 */
public final class HubRoutes {
    private HubRoutes() {}

    /** What the REST port serves. */
    public record Api(
            HttpService health, HttpService providers, HttpService calls, HttpService dlq, HttpService openApi) {}

    /** What the management port serves: /health again (probes use either port) and /metrics. */
    public record Management(HttpService health, HttpService metrics) {}

    /** Registers the REST API on {@code routing}, after whatever filters the server put there. */
    public static HttpRouting.Builder api(HttpRouting.Builder routing, Api services) {
        Problems.register(routing);
        return routing.register(HealthRoutes.PATH, services.health())
                .register(ProviderRoutes.PATH, services.providers())
                .register(CallRoutes.PATH, services.calls())
                .register(DlqRoutes.PATH, services.dlq())
                .register(OpenApiRoutes.PATH, services.openApi())
                .any(HubRoutes::noRoute);
    }

    /** Registers the management API on {@code routing}. */
    public static HttpRouting.Builder management(HttpRouting.Builder routing, Management services) {
        Problems.register(routing);
        return routing.register(HealthRoutes.PATH, services.health())
                .register(MetricsRoutes.PATH, services.metrics())
                .any(HubRoutes::noRoute);
    }

    private static void noRoute(ServerRequest req, ServerResponse res) {
        throw new ApiException(
                ProblemType.NOT_FOUND, "no route " + req.path().absolute().path());
    }
}
