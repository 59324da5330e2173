package io.integrationhub.dataplane.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.integrationhub.registry.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /openapi}: the OpenAPI document as YAML ({@code application/yaml}), or as JSON when
 * asked for with {@code ?format=json} or {@code Accept: application/json}. Unauthenticated.
 */
public final class OpenApiRoutes implements HttpService {
    public static final String PATH = "/openapi";
    /** Where the build puts {@code data-plane/api/openapi.yaml} on the class path. */
    public static final String RESOURCE = "openapi/openapi.yaml";

    private final byte[] yaml;
    private final byte[] json;

    public OpenApiRoutes() {
        this.yaml = document();
        try {
            Object tree =
                    new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
            this.json = Json.mapper().writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(RESOURCE + " cannot be rendered as JSON", e);
        }
    }

    /** The document as shipped. */
    public static byte[] document() {
        try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::document);
    }

    private void document(ServerRequest req, ServerResponse res) {
        String format =
                req.query().contains("format") ? req.query().get("format").toLowerCase(Locale.ROOT) : "";
        String accept = req.headers().first(HeaderNames.ACCEPT).orElse("").toLowerCase(Locale.ROOT);
        boolean asJson = format.equals("json")
                || (format.isEmpty() && accept.contains("application/json") && !accept.contains("yaml"));
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, asJson ? "application/json" : "application/yaml");
        res.header(io.integrationhub.dataplane.api.Problems.SOURCE, "hub");
        res.send(asJson ? json : yaml);
    }
}
