package io.integrationhub.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.integrationhub.crds.spec.AuthType;
import io.integrationhub.crds.spec.SecretRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code crds/examples/} is ready for {@code kubectl apply -f}: it parses into the
 * model, passes the generated CRD's schema, and carries the Secret (with every referenced key) its
 * Provider needs. (The registry's own validation of the examples runs in control-plane's tests.)
 */
class ExamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<Path> examples() {
        return ExampleFiles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void parsesIntoTheModelWithItsSecret(Path file) {
        List<HasMetadata> docs = ExampleFiles.documents(file);
        List<Provider> providers = docs.stream().filter(Provider.class::isInstance).map(Provider.class::cast).toList();
        assertThat(providers).as("Providers in %s", file).hasSize(1);
        Provider provider = providers.get(0);
        assertThat(provider.getMetadata().getName()).isNotBlank();
        assertThat(provider.getSpec().getType()).isNotNull();
        assertThat(provider.getSpec().getBaseUrl()).startsWith("https://");

        AuthType authType = provider.getSpec().getAuth() == null ? AuthType.NONE : provider.getSpec().getAuth().getType();
        if (authType == AuthType.NONE) {
            assertThat(docs).as("an auth-less example needs no Secret").hasSize(1);
            return;
        }
        SecretRef ref = provider.getSpec().getAuth().getSecretRef();
        Secret secret = docs.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().equals(ref.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(file + " lacks Secret " + ref.getName()));
        Set<String> secretKeys = new HashSet<>();
        if (secret.getStringData() != null) {
            secretKeys.addAll(secret.getStringData().keySet());
        }
        if (secret.getData() != null) {
            secretKeys.addAll(secret.getData().keySet());
        }
        for (String entry : credentialEntries(authType)) {
            assertThat(secretKeys).as("%s: Secret key for %s", file, entry).contains(ref.secretKeyFor(entry));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void passesTheGeneratedCrdSchema(Path file) throws IOException {
        for (JsonNode doc : rawDocuments(file)) {
            if (CrdConstants.KIND.equals(doc.path("kind").asText())) {
                assertThat(doc.path("apiVersion").asText()).isEqualTo(CrdConstants.API_VERSION);
                assertThat(SchemaCheck.violations(doc.get("spec"), GeneratedCrd.at("spec"))).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void coverEveryAuthTypeAndBothApiKeyLocations() {
        Set<String> covered = new HashSet<>();
        for (Path file : examples()) {
            ExampleFiles.documents(file).stream().filter(Provider.class::isInstance).map(Provider.class::cast).forEach(p -> {
                var auth = p.getSpec().getAuth();
                covered.add(auth == null ? "none" : auth.getType() + (auth.getIn() == null ? "" : "/" + auth.getIn()));
            });
        }
        assertThat(covered).containsExactlyInAnyOrder(
                "NONE", "API_KEY/HEADER", "API_KEY/QUERY", "BEARER", "BASIC", "OAUTH2_CLIENT_CREDENTIALS");
    }

    @Test
    void theSchemaCheckRejectsWhatTheApiServerWould() throws IOException {
        JsonNode bad = YAML.readTree("""
                type: fax
                baseUrl: ftp://files.example.com
                auth: {type: api_key, name: "X Api Key", secretRef: {name: Not_A_Name}}
                config: {timeoutMs: 99999, retry: {multiplier: 0.5}, colour: blue}
                """);
        List<String> violations = SchemaCheck.violations(bad, GeneratedCrd.at("spec"));
        assertThat(violations).anyMatch(v -> v.startsWith("type:"))
                .anyMatch(v -> v.startsWith("baseUrl:"))
                .anyMatch(v -> v.startsWith("auth.name:"))
                .anyMatch(v -> v.startsWith("auth.secretRef.name:"))
                .anyMatch(v -> v.startsWith("config.timeoutMs: above"))
                .anyMatch(v -> v.startsWith("config.retry.multiplier: below"))
                .anyMatch(v -> v.startsWith("config.colour: unknown field"));
    }

    private static List<JsonNode> rawDocuments(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            it.forEachRemaining(docs::add);
        }
        return docs;
    }

    /** DESIGN §2's credential entries per auth type (the registry's AuthType holds the same list). */
    private static List<String> credentialEntries(AuthType type) {
        return Map.of(
                AuthType.API_KEY, List.of("apiKey"),
                AuthType.BEARER, List.of("token"),
                AuthType.BASIC, List.of("username", "password"),
                AuthType.OAUTH2_CLIENT_CREDENTIALS, List.of("clientId", "clientSecret")).getOrDefault(type, List.of());
    }
}
