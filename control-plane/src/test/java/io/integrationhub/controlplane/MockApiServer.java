package io.integrationhub.controlplane;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.integrationhub.controlplane.kube.AdmittingCrudDispatcher;
import io.integrationhub.crds.admission.ProviderAdmission;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode with the API server's admission of Providers (the CRD's
 * schema and CEL rules) and its other write-time behaviour ({@link AdmittingCrudDispatcher}).
 */
public final class MockApiServer {
    private MockApiServer() {}

    public static KubernetesMockServer start() {
        return start(new AdmittingCrudDispatcher(ProviderAdmission.ofGeneratedCrd()));
    }

    public static KubernetesMockServer start(AdmittingCrudDispatcher dispatcher) {
        KubernetesMockServer server =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        return server;
    }
}
