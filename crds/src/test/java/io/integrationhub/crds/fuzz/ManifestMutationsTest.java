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

    @Test
    void theSameSeedGivesTheSameCasesAndAnotherSeedOthers() throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (Path file : ExampleFiles.all()) {
            documents.addAll(YAML.readerFor(JsonNode.class)
                    .<JsonNode>readValues(file.toFile())
                    .readAll());
        }
        assertThat(cases(42, documents)).isEqualTo(cases(42, documents)).isNotEqualTo(cases(43, documents));
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
