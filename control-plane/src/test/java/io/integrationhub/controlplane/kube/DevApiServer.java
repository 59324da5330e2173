package io.integrationhub.controlplane.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.integrationhub.controlplane.MockApiServer;
import io.integrationhub.crds.admission.ProviderAdmission;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;

/** The mock API server with admission, behind a {@link KubectlFront}: what {@code scripts/dev-cluster} runs. */
public final class DevApiServer implements AutoCloseable {
    public final AdmittingCrudDispatcher dispatcher = new AdmittingCrudDispatcher(ProviderAdmission.ofGeneratedCrd());
    public final KubernetesMockServer mock;
    public final KubectlFront front;

    private DevApiServer(int port) throws IOException {
        mock = MockApiServer.start(dispatcher);
        front = KubectlFront.start(URI.create("http://" + mock.getHostName() + ":" + mock.getPort()), port, Clock.systemUTC());
    }

    public static DevApiServer start(int port) throws IOException {
        return new DevApiServer(port);
    }

    @Override
    public void close() {
        front.close();
        mock.destroy();
    }

    public static void main(String[] args) throws Exception {
        DevApiServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("API server at " + server.front.url());
        Thread.currentThread().join();
    }
}
