package io.integrationhub.crds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.integrationhub.crds.admission.ProviderAdmission;
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
 * model, is admitted as the API server would admit it (schema and CEL rules), and carries the Secret (with every referenced key) its
 * Provider needs. (The registry's own validation of the examples runs in control-plane's tests.)
 */
class ExamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ProviderAdmission ADMISSION = ProviderAdmission.ofGeneratedCrd();

    static List<Path> examples() {
        return ExampleFiles.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void parsesIntoTheModelWithItsSecret(Path file) {
        List<HasMetadata> docs = ExampleFiles.documents(file);
        List<Provider> providers = docs.stream()
                .filter(Provider.class::isInstance)
                .map(Provider.class::cast)
                .toList();
        assertThat(providers).as("Providers in %s", file).hasSize(1);
        Provider provider = providers.get(0);
        assertThat(provider.getMetadata().getName()).isNotBlank();
        assertThat(provider.getSpec().getType()).isNotNull();
        assertThat(provider.getSpec().getBaseUrl()).startsWith("https://");

        AuthType authType = provider.getSpec().getAuth() == null
                ? AuthType.NONE
                : provider.getSpec().getAuth().getType();
        if (authType == AuthType.NONE) {
            assertThat(docs).as("an auth-less example needs no Secret").hasSize(1);
            return;
        }
        SecretRef ref = provider.getSpec().getAuth().getSecretRef();
        Secret secret = docs.stream()
                .filter(Secret.class::isInstance)
                .map(Secret.class::cast)
                .filter(s -> s.getMetadata().getName().equals(ref.getName()))
                .findFirst()
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
    void isAdmittedAsTheApiServerWould(Path file) throws IOException {
        for (JsonNode doc : rawDocuments(file)) {
            if (CrdConstants.KIND.equals(doc.path("kind").asText())) {
                assertThat(doc.path("apiVersion").asText()).isEqualTo(CrdConstants.API_VERSION);
                assertThat(ADMISSION.review(doc, null, true))
                        .as(file.toString())
                        .isEqualTo(new ProviderAdmission.Decision.Admitted((ObjectNode) doc, List.of()));
            }
        }
    }

    @Test
    void coverEveryAuthTypeAndBothApiKeyLocations() {
        Set<String> covered = new HashSet<>();
        for (Path file : examples()) {
            ExampleFiles.documents(file).stream()
                    .filter(Provider.class::isInstance)
                    .map(Provider.class::cast)
                    .forEach(p -> {
                        var auth = p.getSpec().getAuth();
                        covered.add(
                                auth == null
                                        ? "none"
                                        : auth.getType() + (auth.getIn() == null ? "" : "/" + auth.getIn()));
                    });
        }
        assertThat(covered)
                .containsExactlyInAnyOrder(
                        "NONE", "API_KEY/HEADER", "API_KEY/QUERY", "BEARER", "BASIC", "OAUTH2_CLIENT_CREDENTIALS");
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
                        AuthType.OAUTH2_CLIENT_CREDENTIALS, List.of("clientId", "clientSecret"))
                .getOrDefault(type, List.of());
    }
}
