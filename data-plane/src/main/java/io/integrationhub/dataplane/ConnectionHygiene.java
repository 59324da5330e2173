package io.integrationhub.dataplane;

import io.helidon.webserver.ListenerConfig;
import io.integrationhub.dataplane.config.Listeners;
import java.time.Duration;

/**
 * The same connection limits on every listener (REST, gRPC, management): an idle keep-alive
 * connection (or one stuck in its request line) is closed after the idle timeout, and a listener
 * holds at most so many connections at once. The HTTP/1.1 listeners also bound the time a request's
 * headers may take ({@link HeaderDeadline}). Helidon looks for idle connections every period, so the period
 * is a fraction of the timeout: a connection is closed at most ~25% late.
 */
final class ConnectionHygiene {
    private ConnectionHygiene() {}

    static <B extends ListenerConfig.BuilderBase<B, ?>> B apply(B listener, Listeners limits) {
        Duration period = limits.idleTimeout().dividedBy(4);
        return listener.maxTcpConnections(limits.maxConnections())
                .idleConnectionTimeout(limits.idleTimeout())
                .idleConnectionPeriod(period.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : period);
    }
}
