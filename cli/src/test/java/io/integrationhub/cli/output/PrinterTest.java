package io.integrationhub.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.cli.http.Json;
import org.junit.jupiter.api.Test;

class PrinterTest {
    @Test
    void jsonIsIndentedLikeJqAndYamlHasNoDocumentMarker() {
        ObjectNode node = Json.object().put("name", "a");
        node.putArray("items").add(1).add("two");
        node.putArray("none");
        node.putObject("empty");

        assertThat(Printer.json(node)).isEqualTo("""
                {
                  "name": "a",
                  "items": [
                    1,
                    "two"
                  ],
                  "none": [],
                  "empty": {}
                }""");
        assertThat(Printer.yaml(node)).isEqualTo("""
                name: a
                items:
                  - 1
                  - two
                none: []
                empty: {}
                """);
    }
}
