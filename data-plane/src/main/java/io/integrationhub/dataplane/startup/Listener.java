package io.integrationhub.dataplane.startup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * One port the hub listens on: the web server's socket name, where it was asked to listen and the
 * setting that moves it, so that a failure can tell the operator what to change.
 */
public record Listener(String socket, String description, String host, int port, String setting) {

    /**
     * Why this listener cannot bind, if it cannot. Helidon logs the bind error and reports every
     * port as -1 once it has stopped, so the cause is found by asking the operating system again:
     * the answer is the same while the port stays taken.
     */
    Optional<String> bindFailure() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(host, port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    String failureMessage(String cause) {
        return "the " + description + " cannot listen on " + host + ":" + port + ": " + cause + " (set " + setting
                + " to another port, 0 for any free one)";
    }
}
