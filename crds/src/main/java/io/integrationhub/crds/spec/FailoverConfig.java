package io.integrationhub.crds.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Same-API failover: where a call goes when this provider provably did not execute it. Targets are
 * other Providers of the same tenant, by name; the registry checks that they exist.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"to", "onStatus"})
public class FailoverConfig {
    @JsonPropertyDescription("Names of other Providers of the same tenant, tried in order with the same request, 1..3."
            + " Only this list is followed (routes are not transitive).")
    @Required
    @Size(min = 1, max = 3)
    private List<String> to;

    @JsonPropertyDescription(
            "Provider answers (400..599) declared as 'not executed': the call moves on without retrying"
                    + " this provider (default none).")
    @Size(max = 20)
    private List<Integer> onStatus;

    public List<String> getTo() {
        return to;
    }

    public void setTo(List<String> to) {
        this.to = to;
    }

    public List<Integer> getOnStatus() {
        return onStatus;
    }

    public void setOnStatus(List<Integer> onStatus) {
        this.onStatus = onStatus;
    }
}
