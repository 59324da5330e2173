package io.integrationhub.crds.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.integrationhub.crds.ExampleFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator is replayable: the same seed gives the same cases, byte for byte. */
class ManifestMutationsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String FIXED_DOCUMENTS = """
            apiVersion: integrationhub.io/v1
            kind: Provider
            metadata: {name: payments, namespace: hub}
            spec:
              type: payment
              baseUrl: https://api.example.com/v1
              tenantId: t1
              auth: {type: oauth2, tokenUrl: https://auth.example.com/token, scopes: [a, b],
                     secretRef: {name: payments-credentials, keys: {clientId: id, clientSecret: secret}}}
              config:
                timeoutMs: 5000
                retry: {maxAttempts: 3, baseDelayMs: 100}
                defaultHeaders: {X-Team: pay}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: payments-credentials, namespace: hub}
            stringData: {id: client, secret: s3cret}
            """;

    @Test
    void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() throws Exception {
        List<JsonNode> documents = documents();
        assertThat(cases(42, documents)).isEqualTo(cases(42, documents)).isNotEqualTo(cases(43, documents));
    }

    @Test
    void aSeedGivesTheSameCasesItGaveWhenTheFuzzerWasWritten() throws Exception {
        // The digest of seed 42's first 300 cases (and values), taken before the engine moved to the test kit.
        assertThat(digest(42)).isEqualTo("9588318b9d8b05c84b2683293f82b88353773ba9af01472db0fff76c1abf0944");
    }

    private static String digest(long seed) throws Exception {
        // Fixed documents rather than the examples, which may change: only the generator may move this digest.
        List<JsonNode> documents = YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(FIXED_DOCUMENTS)
                .readAll();
        List<String> cases = cases(seed, documents);
        ManifestMutations mutations = new ManifestMutations(seed);
        for (int i = 0; i < 300; i++) {
            cases.add(mutations.value().toString());
            cases.add(mutations.randomText(1 + mutations.nextInt(30)));
        }
        return java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(String.join("\n", cases).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static List<JsonNode> documents() throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (Path file : ExampleFiles.all()) {
            documents.addAll(YAML.readerFor(JsonNode.class)
                    .<JsonNode>readValues(file.toFile())
                    .readAll());
        }
        return documents;
    }

    private static List<String> cases(long seed, List<JsonNode> documents) {
        ManifestMutations mutations = new ManifestMutations(seed);
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            JsonNode document = documents.get(mutations.nextInt(documents.size()));
            byte[] bytes =
                    mutations.oneIn(10) ? mutations.hostile() : mutations.render(List.of(mutations.mutate(document)));
            cases.add(java.util.HexFormat.of().formatHex(bytes));
        }
        return cases;
    }
}
