package io.integrationhub.controlplane.kube;

import io.integrationhub.controlplane.OperatorHarness;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What {@code scripts/dev-cluster up} runs: the mock API server with admission, the operator against
 * a database of its own on the local PostgreSQL (as in the operator's tests) and a
 * {@link KubectlFront} on 127.0.0.1. It writes {@code kubeconfig} and then {@code ready} into its
 * directory; on SIGTERM ({@code down}) it stops all of it and drops the database.
 *
 * <p>Arguments: the state directory and the front's port (0: any free one).
 */
public final class DevCluster {
    private DevCluster() {}

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        OperatorHarness hub = OperatorHarness.start();
        KubectlFront front = KubectlFront.start(
                URI.create("http://" + hub.server.getHostName() + ":" + hub.server.getPort()), port, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            front.close();
            hub.close();
            System.out.println("dev cluster stopped, database " + hub.testDatabase.name() + " dropped");
        }));
        Files.writeString(directory.resolve("kubeconfig"), Kubectl.kubeconfig(front.url()));
        Files.writeString(directory.resolve("database"), hub.testDatabase.name() + "\n");
        Files.writeString(directory.resolve("ready"), front.url() + "\n");
        System.out.println(
                "dev cluster ready: API server " + front.url() + ", registry database " + hub.testDatabase.name());
        Thread.currentThread().join();
    }
}
