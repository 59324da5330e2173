package io.integrationhub.crds.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.integrationhub.crds.GeneratedCrd;
import io.integrationhub.crds.fuzz.ManifestMutations;
import io.integrationhub.crds.spec.ProviderSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admission front refuses what the API server refuses, in its words: one manifest per schema
 * constraint of the generated CRD (found by walking the schema, so a new constraint is covered the
 * day it is added) and one per CEL rule, the {@code oldSelf} transition rule on update.
 */
class ProviderAdmissionTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ProviderAdmission ADMISSION = ProviderAdmission.ofGeneratedCrd();

    /** One constraint of the schema, the value that breaks it and the message the API server gives. */
    record Violation(String path, String constraint, JsonNode value, String expected) {
        @Override
        public String toString() {
            return path + " " + constraint;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySchemaConstraint")
    void eachSchemaConstraintIsRefusedWithTheApiServersMessage(Violation violation) {
        ObjectNode manifest = valid();
        set(manifest, violation.path(), violation.value());

        Status status = refused(ADMISSION.review(manifest, null, true));

        assertThat(status.getCode()).isEqualTo(422);
        assertThat(status.getReason()).isEqualTo("Invalid");
        assertThat(status.getMessage())
                .startsWith("Provider.integrationhub.io \"payments\" is invalid: ")
                .contains(violation.expected());
    }

    @Test
    void everyRequiredFieldIsRefusedWhenMissing() {
        for (String[] required : List.of(
                new String[] {"spec", "baseUrl"},
                new String[] {"spec", "type"},
                new String[] {"spec.auth", "type"},
                new String[] {"spec.auth.secretRef", "name"})) {
            ObjectNode manifest = valid();
            ((ObjectNode) at(manifest, required[0])).remove(required[1]);
            assertThat(refused(ADMISSION.review(manifest, null, true)).getMessage())
                    .contains(required[0] + "." + required[1] + ": Required value");
        }
        // A failover route without targets is no route: config.failover, when given, needs its 'to'.
        assertThat(requiredFields(GeneratedCrd.root(), ""))
                .containsExactlyInAnyOrder(
                        "spec.baseUrl",
                        "spec.type",
                        "spec.auth.type",
                        "spec.auth.secretRef.name",
                        "spec.config.failover.to");
    }

    @Test
    void secretRefIsRequiredForEveryAuthTypeButNone() throws Exception {
        assertRefusedWith(
                "auth: {type: bearer}",
                "spec.auth: Invalid value: \"object\": auth.secretRef is required for every auth type except none, and not allowed for none");
        assertRefusedWith(
                "auth: {type: none, secretRef: {name: creds}}",
                "auth.secretRef is required for every auth type except none, and not allowed for none");
    }

    @Test
    void apiKeyNeedsTheNameOfItsHeaderOrParameter() throws Exception {
        assertRefusedWith(
                "auth: {type: api_key, secretRef: {name: creds}}",
                "spec.auth: Invalid value: \"object\": auth.name (the header or query parameter carrying the key) is required for api_key");
    }

    @Test
    void oauth2NeedsATokenUrl() throws Exception {
        assertRefusedWith(
                "auth: {type: oauth2_client_credentials, secretRef: {name: creds}}",
                "spec.auth: Invalid value: \"object\": auth.tokenUrl is required for oauth2_client_credentials");
    }

    @Test
    void tenantIdCannotChangeOnUpdateButIsFreeOnCreate() {
        ObjectNode old = valid();
        ((ObjectNode) old.get("spec")).put("tenantId", "acme");
        ObjectNode moved = old.deepCopy();
        ((ObjectNode) moved.get("spec")).put("tenantId", "globex");
        ObjectNode dropped = old.deepCopy();
        ((ObjectNode) dropped.get("spec")).remove("tenantId");
        String message =
                "spec: Invalid value: \"object\": spec.tenantId is immutable; create a new Provider to move it to another tenant";

        assertThat(ADMISSION.review(moved, null, true)).isInstanceOf(ProviderAdmission.Decision.Admitted.class);
        assertThat(refused(ADMISSION.review(moved, old, true)).getMessage()).contains(message);
        assertThat(refused(ADMISSION.review(dropped, old, true)).getMessage()).contains(message);
        assertThat(refused(ADMISSION.review(old, dropped, true)).getMessage()).contains(message);
        ObjectNode changedUrl = old.deepCopy();
        ((ObjectNode) changedUrl.get("spec")).put("baseUrl", "https://other.example.com");
        assertThat(ADMISSION.review(changedUrl, old, true)).isInstanceOf(ProviderAdmission.Decision.Admitted.class);
    }

    @Test
    void anUndeclaredFieldIsRefusedWhenStrictAndPrunedOtherwise() {
        ObjectNode manifest = valid();
        ((ObjectNode) manifest.get("spec").get("config")).put("timeoutms", 5000);
        manifest.put("extra", true);

        Status strict = refused(ADMISSION.review(manifest, null, true));
        assertThat(strict.getCode()).isEqualTo(400);
        assertThat(strict.getMessage())
                .isEqualTo("Provider in version \"v1\" cannot be handled as a Provider: strict decoding error: "
                        + "unknown field \"spec.config.timeoutms\", unknown field \"extra\"");

        var admitted = (ProviderAdmission.Decision.Admitted) ADMISSION.review(manifest, null, false);
        assertThat(admitted.object()).isEqualTo(valid());
        assertThat(admitted.warnings())
                .containsExactly("unknown field \"spec.config.timeoutms\"", "unknown field \"extra\"");
    }

    @Test
    void aRefusalListsEveryErrorAsTheApiServerDoes() throws Exception {
        ObjectNode manifest = manifest("type: fax\nbaseUrl: ftp://files.example.com\nconfig: {timeoutMs: 99999}");
        Status status = refused(ADMISSION.review(manifest, null, true));
        assertThat(status.getMessage())
                .startsWith("Provider.integrationhub.io \"payments\" is invalid: [")
                .endsWith("]")
                .contains(
                        "spec.baseUrl: Invalid value: \"ftp://files.example.com\": spec.baseUrl in body should match '^https?://[^\\s/?#@]+(/[^\\s?#]*)?$'")
                .contains(
                        "spec.config.timeoutMs: Invalid value: 99999: spec.config.timeoutMs in body should be less than or equal to 30000")
                .contains(
                        "spec.type: Unsupported value: \"fax\": supported values: \"advertising\", \"analytics\", \"custom\", \"email\", \"payment\", \"sms\"");
        assertThat(status.getDetails().getCauses())
                .extracting("field")
                .containsExactlyInAnyOrder("spec.baseUrl", "spec.config.timeoutMs", "spec.type");
    }

    @Test
    void whateverTheFuzzCorpusGetsPastAdmissionIsASpecTheModelReads() {
        ManifestMutations mutations = new ManifestMutations(20);
        int admitted = 0;
        int refused = 0;
        for (int i = 0; i < 2_000; i++) {
            JsonNode mutated = mutations.mutate(valid());
            if (!(mutated instanceof ObjectNode object)) {
                continue;
            }
            switch (ADMISSION.review(object, null, true)) {
                case ProviderAdmission.Decision.Admitted a -> {
                    admitted++;
                    // The CRD does not require spec (nor does a real API server); the operator reports that one.
                    if (a.object().has("spec")) {
                        assertThat(Serialization.unmarshal(
                                        a.object().get("spec").toString(), ProviderSpec.class))
                                .as(object.toString())
                                .isNotNull();
                    }
                }
                case ProviderAdmission.Decision.Refused r -> {
                    refused++;
                    assertThat(r.status().getCode()).isIn(400, 422);
                    assertThat(r.status().getMessage()).isNotBlank();
                }
            }
        }
        System.out.printf("fuzz corpus through admission: %d admitted, %d refused%n", admitted, refused);
        assertThat(refused).isPositive();
        assertThat(admitted).isPositive();
    }

    static List<Violation> everySchemaConstraint() {
        List<Violation> out = new ArrayList<>();
        collect("spec", GeneratedCrd.root().getProperties().get("spec"), out);
        collect("status", GeneratedCrd.root().getProperties().get("status"), out);
        return out;
    }

    private static void collect(String path, JSONSchemaProps schema, List<Violation> out) {
        String type = schema.getType();
        JsonNode wrongType = "string".equals(type) ? JSON.numberNode(42) : JSON.textNode("42");
        out.add(new Violation(
                path,
                "type " + type,
                wrongType,
                path + ": Invalid value: \"" + ("string".equals(type) ? "integer" : "string") + "\": " + path
                        + " in body must be of type " + type));
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            out.add(new Violation(
                    path, "enum", JSON.textNode("bogus"), path + ": Unsupported value: \"bogus\": supported values: "));
        }
        if (schema.getPattern() != null) {
            out.add(new Violation(
                    path,
                    "pattern",
                    JSON.textNode("has spaces"),
                    path + ": Invalid value: \"has spaces\": " + path + " in body should match '" + schema.getPattern()
                            + "'"));
        }
        if (schema.getMaxLength() != null) {
            out.add(new Violation(
                    path,
                    "maxLength",
                    JSON.textNode("a".repeat(schema.getMaxLength().intValue() + 1)),
                    path + ": Too long: may not be more than " + schema.getMaxLength() + " bytes"));
        }
        if (schema.getMinLength() != null) {
            out.add(new Violation(
                    path,
                    "minLength",
                    JSON.textNode(""),
                    path + ": Invalid value: \"\": " + path + " in body should be at least " + schema.getMinLength()
                            + " chars long"));
        }
        if (schema.getMaximum() != null) {
            long above = (long) (double) schema.getMaximum() + 1;
            out.add(new Violation(
                    path,
                    "maximum",
                    JSON.numberNode(above),
                    path + ": Invalid value: " + above + ": " + path + " in body should be less than or equal to "
                            + (long) (double) schema.getMaximum()));
        }
        if (schema.getMinimum() != null) {
            long below = (long) (double) schema.getMinimum() - 1;
            out.add(new Violation(
                    path,
                    "minimum",
                    JSON.numberNode(below),
                    path + ": Invalid value: " + below + ": " + path + " in body should be greater than or equal to "
                            + (long) (double) schema.getMinimum()));
        }
        if (schema.getMaxItems() != null) {
            ArrayNode items = JSON.arrayNode();
            for (int i = 0; i <= schema.getMaxItems(); i++) items.add("x" + i);
            out.add(new Violation(
                    path,
                    "maxItems",
                    items,
                    path + ": Too many: " + items.size() + ": must have at most " + schema.getMaxItems() + " items"));
        }
        if (schema.getMaxProperties() != null) {
            ObjectNode properties = JSON.objectNode();
            for (int i = 0; i <= schema.getMaxProperties(); i++) properties.put("X-Key-" + i, "v");
            out.add(new Violation(
                    path,
                    "maxProperties",
                    properties,
                    path + ": Too many: " + properties.size() + ": must have at most " + schema.getMaxProperties()
                            + " items"));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> collect(path + "." + name, child, out));
        }
        if (schema.getItems() != null) {
            collect(path + "[0]", schema.getItems().getSchema(), out);
        }
        if (schema.getAdditionalProperties() != null
                && schema.getAdditionalProperties().getSchema() != null) {
            collect(path + ".X-Extra", schema.getAdditionalProperties().getSchema(), out);
        }
    }

    private static List<String> requiredFields(JSONSchemaProps schema, String path) {
        List<String> out = new ArrayList<>();
        if (schema.getRequired() != null) {
            schema.getRequired().forEach(r -> out.add(path + r));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> out.addAll(requiredFields(child, path + name + ".")));
        }
        return out;
    }

    private static void assertRefusedWith(String specYaml, String expected) throws Exception {
        Status status = refused(
                ADMISSION.review(manifest("type: payment\nbaseUrl: https://pay.example.com\n" + specYaml), null, true));
        assertThat(status.getCode()).isEqualTo(422);
        assertThat(status.getMessage()).contains(expected);
    }

    private static Status refused(ProviderAdmission.Decision decision) {
        assertThat(decision).isInstanceOf(ProviderAdmission.Decision.Refused.class);
        return ((ProviderAdmission.Decision.Refused) decision).status();
    }

    private static ObjectNode manifest(String specYaml) throws Exception {
        ObjectNode manifest = JSON.objectNode();
        manifest.put("apiVersion", "integrationhub.io/v1").put("kind", "Provider");
        manifest.putObject("metadata").put("name", "payments");
        manifest.set("spec", YAML.readTree(specYaml));
        return manifest;
    }

    /** A Provider using every optional block, admitted as it is. */
    private static ObjectNode valid() {
        try {
            return manifest("""
                    tenantId: acme
                    type: payment
                    baseUrl: https://pay.example.com/v1
                    status: active
                    auth: {type: api_key, in: header, name: X-Api-Key, secretRef: {name: pay-creds, keys: {apiKey: api-key}}}
                    config:
                      timeoutMs: 5000
                      allowPrivateNetwork: false
                      defaultHeaders: {X-Client: hub}
                      retry: {maxAttempts: 3, multiplier: 2.0}
                    """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode at(ObjectNode root, String dotted) {
        JsonNode node = root;
        for (String part : dotted.split("\\.")) node = node.get(part);
        return node;
    }

    /** Sets the value at a path such as {@code spec.auth.scopes[0]}, creating what is missing on the way. */
    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            String part = parts[i];
            boolean indexed = part.endsWith("[0]");
            String name = indexed ? part.substring(0, part.length() - 3) : part;
            ObjectNode parent = (ObjectNode) node;
            if (indexed) {
                ArrayNode array = parent.get(name) instanceof ArrayNode a ? a : parent.putArray(name);
                array.removeAll();
                if (last) {
                    array.add(value);
                    return;
                }
                node = array.addObject();
            } else if (last) {
                parent.set(name, value);
            } else {
                node = parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
            }
        }
    }
}
