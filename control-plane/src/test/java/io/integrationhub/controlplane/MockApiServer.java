package io.integrationhub.controlplane;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock API server in CRUD mode, taught the one request it does not know: the
 * SelfSubjectRulesReview java-operator-sdk sends before leader election to check Lease access. A
 * real API server answers it from RBAC; here the operator may do anything with Leases.
 */
public final class MockApiServer {
    private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private static final String LEASE_ACCESS = """
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},
             "spec":{},"status":{"incomplete":false,"nonResourceRules":[],
             "resourceRules":[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["*"]}]}}""";

    private MockApiServer() {}

    public static KubernetesMockServer start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()) {
                    @Override
                    public MockResponse handleCreate(RecordedRequest request) {
                        if (request.getPath().startsWith(RULES_REVIEWS)) {
                            return new MockResponse().setResponseCode(201).setBody(LEASE_ACCESS);
                        }
                        return super.handleCreate(request);
                    }
                }, false);
        server.init();
        return server;
    }
}
