package io.integrationhub.crds.status;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the operator last did with a Provider. Never holds credential values. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"providerId", "tenantId", "registryVersion", "observedGeneration", "conditions", "circuit"})
public class ProviderStatus {
    @JsonPropertyDescription("Id of the registry row this Provider maps to.")
    private String providerId;

    @JsonPropertyDescription("Tenant the registry row belongs to.")
    private String tenantId;

    @JsonPropertyDescription("Version of the registry row after the last write.")
    private Long registryVersion;

    @JsonPropertyDescription("The metadata.generation the conditions describe.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready tells whether the registry row matches this Provider and its Secret.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Circuit breaker state seen by the data plane: Closed, Open, HalfOpen or Unknown.")
    private CircuitState circuit;

    public String getProviderId() {
        return providerId;
    }

    public void setProviderId(String providerId) {
        this.providerId = providerId;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public Long getRegistryVersion() {
        return registryVersion;
    }

    public void setRegistryVersion(Long registryVersion) {
        this.registryVersion = registryVersion;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }

    public CircuitState getCircuit() {
        return circuit;
    }

    public void setCircuit(CircuitState circuit) {
        this.circuit = circuit;
    }

    /** The condition of that type, if any. */
    @JsonIgnore
    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderStatus s
                && Objects.equals(providerId, s.providerId)
                && Objects.equals(tenantId, s.tenantId)
                && Objects.equals(registryVersion, s.registryVersion)
                && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions)
                && circuit == s.circuit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(providerId, tenantId, registryVersion, observedGeneration, conditions, circuit);
    }
}
