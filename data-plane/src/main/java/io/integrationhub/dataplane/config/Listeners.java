package io.integrationhub.dataplane.config;

import java.time.Duration;

/**
 * Where the three listeners (REST, gRPC, management) bind and how each treats connections.
 *
 * @param host            the address all three bind (INTEGRATION_HTTP_HOST)
 * @param httpPort        port of the REST API (INTEGRATION_HTTP_PORT; 0 = a free port)
 * @param grpcPort        port of the gRPC API (INTEGRATION_GRPC_PORT; 0 = a free port)
 * @param managementPort  port of /metrics and /health (INTEGRATION_MANAGEMENT_PORT; 0 = a free port)
 * @param headerTimeout   a request's headers must be complete this long after its request line, or the
 *                        connection is closed: the slow-loris limit (INTEGRATION_HEADER_TIMEOUT)
 * @param idleTimeout     a keep-alive connection with no request for this long is closed (INTEGRATION_IDLE_TIMEOUT)
 * @param maxConnections  open connections per listener; more are closed on accept (INTEGRATION_MAX_CONNECTIONS)
 */
public record Listeners(
        String host,
        int httpPort,
        int grpcPort,
        int managementPort,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxConnections) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
}
