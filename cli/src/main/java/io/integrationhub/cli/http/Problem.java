package io.integrationhub.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A hub error (RFC 9457 problem+json): its stable {@code type} slug, status, detail, the fields a
 * validation named, and the DLQ entry a failed call was parked as.
 */
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        List<FieldError> errors,
        String dlqEntryId,
        JsonNode document) {

    public record FieldError(String field, String message) {}

    public static Problem of(JsonNode doc, int httpStatus) {
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode error : doc.path("errors")) {
            errors.add(new FieldError(
                    error.path("field").asText(""), error.path("message").asText("")));
        }
        int status = doc.path("status").canConvertToInt() && doc.path("status").asInt() > 0
                ? doc.path("status").asInt()
                : httpStatus;
        return new Problem(
                Json.text(doc, "type"),
                Json.text(doc, "title"),
                status,
                Json.text(doc, "detail"),
                List.copyOf(errors),
                Json.text(doc, "dlqEntryId"),
                doc);
    }

    /** One line: the detail (else the title), the slug and the status. */
    public String summary() {
        String text =
                detail != null && !detail.isBlank() ? detail : (title != null ? title : "the hub answered " + status);
        return text + " (" + (type == null ? "" : type + ", ") + "HTTP " + status + ")";
    }
}
