package io.integrationhub.dataplane.config;

import java.time.Duration;

/**
 * How every listener (REST, gRPC, management) treats connections, and the management listener.
 *
 * @param managementPort  port of /metrics and /health (INTEGRATION_MANAGEMENT_PORT; 0 = a free port)
 * @param metricsToken    bearer token /metrics requires, or null for none (INTEGRATION_METRICS_TOKEN)
 * @param headerTimeout   a request's headers must be complete this long after its request line, or the
 *                        connection is closed: the slow-loris limit (INTEGRATION_HEADER_TIMEOUT)
 * @param idleTimeout     a keep-alive connection with no request for this long is closed (INTEGRATION_IDLE_TIMEOUT)
 * @param maxConnections  open connections per listener; more are closed on accept (INTEGRATION_MAX_CONNECTIONS)
 */
public record Listeners(int managementPort, String metricsToken, Duration headerTimeout, Duration idleTimeout, int maxConnections) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    @Override
    public String toString() {
        // The metrics token is a secret.
        return "Listeners[managementPort=" + managementPort + ", metricsToken=" + (metricsToken != null) + ", headerTimeout=" + headerTimeout
                + ", idleTimeout=" + idleTimeout + ", maxConnections=" + maxConnections + "]";
    }
}
