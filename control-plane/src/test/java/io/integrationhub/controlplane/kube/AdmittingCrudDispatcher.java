package io.integrationhub.controlplane.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.integrationhub.crds.CrdConstants;
import io.integrationhub.crds.admission.ProviderAdmission;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * fabric8's CRUD dispatcher with what a real API server does on writes and the mock does not:
 * Provider admission (schema and CEL rules, {@link ProviderAdmission}), Secret {@code stringData}
 * merged into {@code data}, the SelfSubjectRulesReview java-operator-sdk sends before leader
 * election, and faults a test injects ({@link Faults}).
 */
public final class AdmittingCrudDispatcher extends KubernetesCrudDispatcher {
    private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private static final String LEASE_ACCESS = """
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},
             "spec":{},"status":{"incomplete":false,"nonResourceRules":[],
             "resourceRules":[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["*"]}]}}""";
    private static final String PROVIDERS = "/apis/" + CrdConstants.API_VERSION + "/";

    private final ProviderAdmission admission;
    private final Faults faults = new Faults();

    public AdmittingCrudDispatcher(ProviderAdmission admission) {
        super(List.of());
        this.admission = admission;
    }

    public Faults faults() {
        return faults;
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (request.getPath().startsWith(RULES_REVIEWS)) {
            return new MockResponse().setResponseCode(201).setBody(LEASE_ACCESS);
        }
        return refusedOr(request, super::handleCreate);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return refusedOr(request, super::handleUpdate);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return refusedOr(request, super::handlePatch);
    }

    @Override
    public MockResponse handleGet(String path) {
        MockResponse fault = faults.onWatch(path);
        if (fault != null) {
            return fault;
        }
        MockResponse response = super.handleGet(path);
        return response.getWebSocketListener() == null
                ? response
                : response.withWebSocketUpgrade(faults.tracked(response.getWebSocketListener(), path));
    }

    private MockResponse refusedOr(RecordedRequest request, Function<RecordedRequest, MockResponse> write) {
        MockResponse fault = faults.onWrite(request.getMethod(), request.getPath());
        if (fault != null) {
            return fault;
        }
        try {
            return write.apply(request);
        } catch (Refused refused) {
            return new MockResponse()
                    .setResponseCode(refused.status.getCode())
                    .setBody(Serialization.asJson(refused.status));
        }
    }

    /**
     * Every write ends here with the object as it would be stored ({@code resource} null on delete);
     * the store has not changed yet, so a refusal leaves it as it was.
     */
    @Override
    public void processEvent(
            String path,
            AttributeSet pathAttributes,
            AttributeSet oldAttributes,
            GenericKubernetesResource resource,
            String newState) {
        String stored = newState;
        if (stored != null && path.startsWith(PROVIDERS)) {
            String old = oldAttributes == null ? null : map.get(oldAttributes);
            JsonNode oldNode = old == null ? null : Serialization.unmarshal(old, JsonNode.class);
            boolean strict = path.contains("fieldValidation=Strict");
            switch (admission.review(Serialization.unmarshal(stored, JsonNode.class), oldNode, strict)) {
                case ProviderAdmission.Decision.Refused r -> throw new Refused(r.status());
                case ProviderAdmission.Decision.Admitted a ->
                    stored = a.object().toString();
            }
        } else if (stored != null && path.startsWith("/api/v1/") && path.contains("/secrets")) {
            stored = withStringDataInData(stored);
        }
        GenericKubernetesResource storedResource = stored == null || stored.equals(newState)
                ? resource
                : Serialization.unmarshal(stored, GenericKubernetesResource.class);
        super.processEvent(path, pathAttributes, oldAttributes, storedResource, stored);
    }

    /** As the API server: stringData is write-only, merged into data (base64) and never stored. */
    private static String withStringDataInData(String secretJson) {
        ObjectNode secret = (ObjectNode) Serialization.unmarshal(secretJson, JsonNode.class);
        JsonNode stringData = secret.remove("stringData");
        if (stringData == null || !stringData.isObject()) {
            return secretJson;
        }
        ObjectNode data = secret.get("data") instanceof ObjectNode d ? d : secret.putObject("data");
        for (Map.Entry<String, JsonNode> entry : stringData.properties()) {
            data.put(
                    entry.getKey(),
                    Base64.getEncoder().encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        }
        return secret.toString();
    }

    /** A refusal carried out of {@link #processEvent} (which returns nothing) to the request. */
    private static final class Refused extends RuntimeException {
        private final transient Status status;

        Refused(Status status) {
            super(status.getMessage(), null, false, false);
            this.status = status;
        }
    }
}
