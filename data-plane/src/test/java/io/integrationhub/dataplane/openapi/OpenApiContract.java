package io.integrationhub.dataplane.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.integrationhub.dataplane.HubClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The shipped OpenAPI document ({@code data-plane/api/openapi.yaml}, as the hub serves it) and the
 * atlassian validator wired to it: {@link #check} validates one real answer and remembers which
 * documented operation it exercised, so a test can demand that every operation was seen.
 */
final class OpenApiContract {
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final String PROXY = "/api/v1/integrations/proxy/";

    private final OpenApiInteractionValidator validator;
    private final Map<String, Object> document;
    private final Map<Pattern, String> templates = new LinkedHashMap<>();
    private final Set<String> succeeded = new TreeSet<>();
    private final Set<String> failed = new TreeSet<>();

    OpenApiContract(String yaml) {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(yaml)
                .build();
        this.document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        for (String template : paths().keySet()) {
            templates.put(Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+")), template);
        }
    }

    static OpenApiContract shipped() {
        return new OpenApiContract(new String(OpenApiRoutes.document(), StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> paths() {
        return (Map<String, Map<String, Object>>) document.get("paths");
    }

    /** Every operation of the document, as {@code "METHOD /template"}. */
    Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        paths().forEach((template, item) -> item.keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + template)));
        return operations;
    }

    @SuppressWarnings("unchecked")
    List<String> problemTypes() {
        Map<String, Object> components = (Map<String, Object>) document.get("components");
        Map<String, Object> schemas = (Map<String, Object>) components.get("schemas");
        Map<String, Object> problem = (Map<String, Object>) schemas.get("Problem");
        Map<String, Object> type = (Map<String, Object>) ((Map<String, Object>) problem.get("properties")).get("type");
        return new ArrayList<>((List<String>) type.get("enum"));
    }

    /** The validation messages (empty when it conforms) of one answer to {@code method path}. */
    List<String> violations(String method, String path, int status, Map<String, List<String>> headers, byte[] body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> {
            if (name != null && !name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        if (body.length > 0) {
            response.withBody(body);
        }
        ValidationReport report =
                validator.validateResponse(documentedPath(path), Request.Method.valueOf(method), response.build());
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .toList();
    }

    /**
     * Checks a real answer: it must conform, and it counts as exercising its operation (as a
     * success below 400, an error from 400; for the call routes a hub problem is the error).
     */
    List<String> check(String method, String pathAndQuery, HubClient.Answer answer) {
        String path = pathAndQuery.split("\\?", 2)[0];
        List<String> violations = violations(
                method, path, answer.status(), answer.headers(), answer.body().getBytes(StandardCharsets.UTF_8));
        String operation = method + " " + template(documentedPath(path));
        boolean hubProblem = answer.header("Content-Type").orElse("").startsWith("application/problem+json");
        if (answer.status() >= 400 && hubProblem) {
            failed.add(operation);
        } else if (answer.status() < 400
                || !answer.header("X-Integration-Source").orElse("").equals("hub")) {
            succeeded.add(operation);
        }
        return violations.stream()
                .map(v -> method + " " + pathAndQuery + " -> " + answer.status() + ": " + v)
                .toList();
    }

    Set<String> succeeded() {
        return succeeded;
    }

    Set<String> failed() {
        return failed;
    }

    /** The proxy route's {@code {path}} may span segments; the document names it as one. */
    private static String documentedPath(String path) {
        if (!path.startsWith(PROXY)) {
            return path;
        }
        String rest = path.substring(PROXY.length());
        int slash = rest.indexOf('/');
        return slash < 0
                ? path
                : PROXY + rest.substring(0, slash) + "/"
                        + rest.substring(slash + 1).replace('/', '_');
    }

    private String template(String path) {
        for (Map.Entry<Pattern, String> template : templates.entrySet()) {
            if (template.getKey().matcher(path).matches()) {
                return template.getValue();
            }
        }
        return "(undocumented) " + path;
    }
}
