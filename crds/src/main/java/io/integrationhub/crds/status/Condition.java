package io.integrationhub.crds.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A Kubernetes-style condition (the shape of {@code metav1.Condition}). {@code reason} is a
 * CamelCase token a program can switch on; {@code message} is for people.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "status", "reason", "message", "lastTransitionTime", "observedGeneration"})
public class Condition {
    public static final String READY = "Ready";
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private String type;
    private String status;
    private String reason;
    private String message;
    private String lastTransitionTime;
    private Long observedGeneration;

    public Condition() {}

    public Condition(
            String type,
            String status,
            String reason,
            String message,
            String lastTransitionTime,
            Long observedGeneration) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
        this.lastTransitionTime = lastTransitionTime;
        this.observedGeneration = observedGeneration;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c
                && Objects.equals(type, c.type)
                && Objects.equals(status, c.status)
                && Objects.equals(reason, c.reason)
                && Objects.equals(message, c.message)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime)
                && Objects.equals(observedGeneration, c.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
    }

    @Override
    public String toString() {
        return type + "=" + status + " (" + reason + ": " + message + ")";
    }
}
