package io.integrationhub.cli.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.http.Json;

/** What apply did to one provider: created, configured or unchanged (kubectl's words), maybe only as a dry run. */
record ApplyResult(String name, String tenantId, String id, Long version, String action, boolean dryRun) {
    String line() {
        return "provider/" + name + " " + action + (dryRun && !action.equals("unchanged") ? " (dry run)" : "");
    }

    ObjectNode json() {
        ObjectNode node =
                Json.object().put("name", name).put("tenantId", tenantId).put("id", id);
        if (version == null) {
            node.putNull("version");
        } else {
            node.put("version", version);
        }
        return node.put("action", action).put("dryRun", dryRun);
    }
}
