package io.integrationhub.crds.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.projectnessie.cel.checker.Decls;
import org.projectnessie.cel.tools.Script;
import org.projectnessie.cel.tools.ScriptException;
import org.projectnessie.cel.tools.ScriptHost;

/**
 * The CRD's {@code x-kubernetes-validations} evaluated with cel-java, as the API server does: each
 * rule sees the value at its node as {@code self}; a rule that mentions {@code oldSelf} is a
 * transition rule, evaluated only on update and only where the old object has a value at that node.
 */
final class CelRules {
    private final ScriptHost host = ScriptHost.newBuilder().build();
    private final Map<String, Script> compiled = new ConcurrentHashMap<>();
    private final JSONSchemaProps root;

    CelRules(JSONSchemaProps root) {
        this.root = root;
    }

    /** The rules {@code object} breaks; {@code old} is null on create. */
    List<FieldError> check(JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JSONSchemaProps> top : root.getProperties().entrySet()) {
            walk(
                    top.getKey(),
                    object.get(top.getKey()),
                    old == null ? null : old.get(top.getKey()),
                    top.getValue(),
                    errors);
        }
        return errors;
    }

    private void walk(String path, JsonNode value, JsonNode old, JSONSchemaProps schema, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        for (ValidationRule rule : schema.getXKubernetesValidations() == null
                ? List.<ValidationRule>of()
                : schema.getXKubernetesValidations()) {
            boolean transition = rule.getRule().contains("oldSelf");
            if (transition && (old == null || old.isNull())) {
                continue;
            }
            if (!holds(rule.getRule(), value, transition ? old : null)) {
                errors.add(FieldError.invalid(path, StructuralSchema.shown(value), rule.getMessage()));
            }
        }
        if (value.isObject() && schema.getProperties() != null) {
            schema.getProperties()
                    .forEach((name, child) -> walk(
                            path + "." + name, value.get(name), old == null ? null : old.get(name), child, errors));
        }
    }

    private boolean holds(String rule, JsonNode self, JsonNode oldSelf) {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("self", plain(self));
        if (oldSelf != null) {
            arguments.put("oldSelf", plain(oldSelf));
        }
        try {
            return Boolean.TRUE.equals(script(rule).execute(Boolean.class, arguments));
        } catch (ScriptException e) {
            // The API server reports an evaluation error as a refusal of the field too.
            return false;
        }
    }

    private Script script(String rule) {
        return compiled.computeIfAbsent(rule, r -> {
            try {
                return host.buildScript(r)
                        .withDeclarations(Decls.newVar("self", Decls.Dyn), Decls.newVar("oldSelf", Decls.Dyn))
                        .build();
            } catch (ScriptException e) {
                throw new IllegalStateException("CEL rule does not compile: " + r, e);
            }
        });
    }

    /** JSON as the plain Java values cel-java adapts: maps, lists, strings, longs, doubles, booleans. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), plain(f.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isIntegralNumber()) return node.longValue();
        if (node.isNumber()) return node.doubleValue();
        if (node.isBoolean()) return node.booleanValue();
        return node.isNull() ? null : node.asText();
    }
}
