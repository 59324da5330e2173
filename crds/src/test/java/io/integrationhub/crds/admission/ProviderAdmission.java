package io.integrationhub.crds.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.integrationhub.crds.CrdConstants;
import io.integrationhub.crds.GeneratedCrd;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the API server decides about a Provider create or update: the structural schema first, then
 * the CEL rules (with {@code oldSelf} on update). A refusal is the {@code Status} the API server
 * answers, so kubectl and fabric8 print it as they would against a real cluster.
 */
public final class ProviderAdmission {
    private final StructuralSchema schema;
    private final CelRules rules;

    private ProviderAdmission(JSONSchemaProps root) {
        this.schema = new StructuralSchema(root);
        this.rules = new CelRules(root);
    }

    public static ProviderAdmission of(CustomResourceDefinition crd) {
        return new ProviderAdmission(
                crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
    }

    /** Admission for the CRD this build generated. */
    public static ProviderAdmission ofGeneratedCrd() {
        return of(GeneratedCrd.load());
    }

    /** The outcome of one review. */
    public sealed interface Decision {
        /** Stored as {@code object} (undeclared fields pruned); {@code warnings} name what was pruned. */
        record Admitted(ObjectNode object, List<String> warnings) implements Decision {}

        /** Refused with this Status (code 422 Invalid, or 400 BadRequest for a Strict unknown field). */
        record Refused(Status status, List<FieldError> errors) implements Decision {}
    }

    /**
     * Reviews {@code object} ({@code old} is null on create). With {@code strictFields} (kubectl's
     * default {@code fieldValidation=Strict}) an undeclared field refuses the request; otherwise it
     * is pruned with a warning.
     */
    public Decision review(JsonNode object, JsonNode old, boolean strictFields) {
        ObjectNode pruned = object.deepCopy();
        StructuralSchema.Findings findings = schema.check(pruned);
        String name = object.path("metadata").path("name").asText();
        if (strictFields && !findings.unknownFields().isEmpty()) {
            return new Decision.Refused(strictDecodingError(findings.unknownFields()), List.of());
        }
        List<FieldError> errors = new ArrayList<>(findings.errors());
        errors.addAll(rules.check(pruned, old));
        if (!errors.isEmpty()) {
            return new Decision.Refused(invalid(name, errors), List.copyOf(errors));
        }
        return new Decision.Admitted(
                pruned,
                findings.unknownFields().stream()
                        .map(f -> "unknown field \"" + f + "\"")
                        .toList());
    }

    private static Status invalid(String name, List<FieldError> errors) {
        String listed = errors.size() == 1
                ? errors.get(0).toString()
                : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
        return new StatusBuilder()
                .withStatus("Failure")
                .withReason("Invalid")
                .withCode(422)
                .withMessage(CrdConstants.KIND + "." + CrdConstants.GROUP + " \"" + name + "\" is invalid: " + listed)
                .withNewDetails()
                .withName(name)
                .withGroup(CrdConstants.GROUP)
                .withKind(CrdConstants.KIND)
                .withCauses(errors.stream().map(FieldError::toCause).toList())
                .endDetails()
                .withNewMetadata()
                .endMetadata()
                .build();
    }

    private static Status strictDecodingError(List<String> unknownFields) {
        String fields =
                unknownFields.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
        return new StatusBuilder()
                .withStatus("Failure")
                .withReason("BadRequest")
                .withCode(400)
                .withMessage(CrdConstants.KIND + " in version \"" + CrdConstants.VERSION + "\" cannot be handled as a "
                        + CrdConstants.KIND + ": strict decoding error: " + fields)
                .withNewMetadata()
                .endMetadata()
                .build();
    }
}
