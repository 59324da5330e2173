package io.integrationhub.dataplane.startup;

import io.helidon.webserver.WebServer;
import java.util.List;
import java.util.Optional;

/**
 * Checks that a started web server bound every listener. Helidon's {@code start()} returns normally
 * when a socket fails to bind (it logs the error, stops every listener, and answers -1 for the
 * ports), so without this check the hub would print "ready" on port -1 and exit 0.
 */
public final class BoundListeners {
    private BoundListeners() {}

    /** Returns when every listener is bound; otherwise stops the server and throws naming the listener that cannot bind. */
    public static void require(WebServer server, List<Listener> listeners) {
        boolean allBound =
                server.isRunning() && listeners.stream().allMatch(listener -> server.port(listener.socket()) > 0);
        if (allBound) {
            return;
        }
        server.stop();
        for (Listener listener : listeners) {
            Optional<String> cause = listener.bindFailure();
            if (cause.isPresent()) {
                throw new ListenerBindException(listener.failureMessage(cause.get()));
            }
        }
        throw new ListenerBindException("the web server did not bind "
                + listeners.stream().map(Listener::description).toList()
                + " and no port is taken now (see the server log above)");
    }
}
