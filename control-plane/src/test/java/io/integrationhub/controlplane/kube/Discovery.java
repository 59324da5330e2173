package io.integrationhub.controlplane.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documents kubectl reads before anything else, built from the resources the front knows:
 * legacy discovery ({@code /api}, {@code /apis}, one resource list per group version) and OpenAPI
 * v3 and v2 documents that declare, for every kind, a PATCH operation with the
 * {@code fieldValidation} parameter. That is what kubectl checks to leave validation to the server
 * (where {@link AdmittingCrudDispatcher} does it) instead of validating against schemas itself.
 */
final class Discovery {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final List<ApiResource> resources;

    Discovery(List<ApiResource> resources) {
        this.resources = resources;
    }

    ObjectNode coreVersions(String serverAddress) {
        ObjectNode out = JSON.objectNode().put("kind", "APIVersions");
        out.putArray("versions").add("v1");
        out.putArray("serverAddressByClientCIDRs")
                .addObject()
                .put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return out;
    }

    ObjectNode groups() {
        ObjectNode out = JSON.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = out.putArray("groups");
        byGroupVersion().keySet().stream()
                .filter(gv -> gv.contains("/"))
                .map(gv -> gv.split("/"))
                .forEach(gv -> {
                    ObjectNode group = groups.addObject().put("name", gv[0]);
                    group.putArray("versions")
                            .addObject()
                            .put("groupVersion", gv[0] + "/" + gv[1])
                            .put("version", gv[1]);
                    group.putObject("preferredVersion")
                            .put("groupVersion", gv[0] + "/" + gv[1])
                            .put("version", gv[1]);
                });
        return out;
    }

    /** The APIResourceList of one group version ({@code v1} or {@code group/version}), if known. */
    Optional<ObjectNode> resourceList(String groupVersion) {
        List<ApiResource> inVersion = byGroupVersion().get(groupVersion);
        if (inVersion == null) {
            return Optional.empty();
        }
        ObjectNode out = JSON.objectNode()
                .put("kind", "APIResourceList")
                .put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode list = out.putArray("resources");
        for (ApiResource r : inVersion) {
            ObjectNode entry = list.addObject()
                    .put("name", r.plural())
                    .put("singularName", r.singular())
                    .put("namespaced", r.namespaced())
                    .put("kind", r.kind());
            VERBS.forEach(entry.putArray("verbs")::add);
            r.shortNames().forEach(entry.putArray("shortNames")::add);
            if (r.statusSubresource()) {
                ObjectNode status = list.addObject()
                        .put("name", r.plural() + "/status")
                        .put("singularName", "")
                        .put("namespaced", r.namespaced())
                        .put("kind", r.kind());
                List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
            }
        }
        return Optional.of(out);
    }

    /** {@code /openapi/v3}: where each group version's document is. */
    ObjectNode openApiV3Root() {
        ObjectNode out = JSON.objectNode();
        ObjectNode paths = out.putObject("paths");
        byGroupVersion()
                .values()
                .forEach(rs -> paths.putObject(rs.get(0).root())
                        .put(
                                "serverRelativeURL",
                                "/openapi/v3/" + rs.get(0).root() + "?hash=" + Integer.toHexString(rs.hashCode())));
        return out;
    }

    /** {@code /openapi/v3/<root>}, e.g. {@code apis/integrationhub.io/v1}. */
    Optional<ObjectNode> openApiV3(String root) {
        return byGroupVersion().values().stream()
                .filter(rs -> rs.get(0).root().equals(root))
                .findFirst()
                .map(rs -> {
                    ObjectNode doc = JSON.objectNode().put("openapi", "3.0.0");
                    doc.putObject("info").put("title", "Kubernetes").put("version", KubectlFront.SERVER_VERSION);
                    ObjectNode paths = doc.putObject("paths");
                    rs.forEach(r -> paths.set(
                            "/" + itemPath(r),
                            patchOperation(r, JSON.objectNode().put("type", "string"), "schema")));
                    doc.putObject("components").putObject("schemas");
                    return doc;
                });
    }

    /** {@code /openapi/v2} (Swagger 2.0, JSON): the same operations, for clients that ask for JSON. */
    ObjectNode openApiV2() {
        ObjectNode doc = JSON.objectNode().put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", KubectlFront.SERVER_VERSION);
        ObjectNode paths = doc.putObject("paths");
        resources.forEach(r -> paths.set("/" + itemPath(r), patchOperation(r, null, null)));
        doc.putObject("definitions");
        return doc;
    }

    private static ObjectNode patchOperation(ApiResource r, ObjectNode parameterSchema, String schemaField) {
        ObjectNode path = JSON.objectNode();
        ObjectNode patch = path.putObject("patch");
        patch.putObject("x-kubernetes-group-version-kind")
                .put("group", r.group())
                .put("version", r.version())
                .put("kind", r.kind());
        ObjectNode parameter = patch.putArray("parameters")
                .addObject()
                .put("name", "fieldValidation")
                .put("in", "query");
        if (parameterSchema != null) {
            parameter.set(schemaField, parameterSchema);
        } else {
            parameter.put("type", "string");
        }
        patch.putObject("responses").putObject("200").put("description", "OK");
        return path;
    }

    private static String itemPath(ApiResource r) {
        return r.root() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
    }

    private Map<String, List<ApiResource>> byGroupVersion() {
        Map<String, List<ApiResource>> out = new LinkedHashMap<>();
        resources.forEach(r ->
                out.computeIfAbsent(r.groupVersion(), k -> new ArrayList<>()).add(r));
        return out;
    }
}
