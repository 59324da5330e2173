package io.integrationhub.dataplane.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.integrationhub.registry.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile inputs: it takes a valid document and applies random mutations
 * (fields removed, retyped, replaced by huge numbers, deep nesting, unknown fields, control
 * characters, oversized strings) or produces raw bytes that are not JSON or not UTF-8. The same
 * seed always yields the same cases, so a failure can be replayed.
 */
final class Mutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] STRINGS = {
        "",
        " ",
        "\u0000",
        "\r\nX-Injected: 1",
        "../../etc/passwd",
        "%2e%2e/",
        "//evil.test",
        "http://169.254.169.254/",
        "\u202e\u0041",
        "null",
        "{}",
        "' OR 1=1 --",
        "<script>",
        "\ud83d\ude00",
        "a".repeat(5000),
        "java.lang.NullPointerException",
        "${jndi:ldap://127.0.0.1/x}"
    };

    private final Random random;

    Mutations(long seed) {
        this.random = new Random(seed);
    }

    /** A mutated copy of {@code valid} as bytes (mostly JSON, sometimes raw garbage). */
    byte[] mutate(JsonNode valid) {
        int mode = random.nextInt(20);
        if (mode == 0) {
            return garbage();
        }
        if (mode == 1) {
            return deepNesting(random.nextInt(2) == 0 ? 70 : 3000);
        }
        JsonNode copy = valid.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            copy = mutateSomewhere(copy);
        }
        try {
            byte[] bytes = Json.mapper().writeValueAsBytes(copy);
            if (random.nextInt(15) == 0) {
                bytes = truncate(bytes);
            }
            return bytes;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A random value of any JSON type, sometimes extreme. */
    JsonNode value() {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt());
            case 3 -> NODES.numberNode(Long.MAX_VALUE);
            case 4 -> NODES.numberNode(new java.math.BigInteger("9".repeat(60)));
            case 5 -> NODES.numberNode(-1.5e300);
            case 6 -> NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 7 -> NODES.arrayNode().add(random.nextInt(100)).add("x");
            case 8 -> NODES.objectNode().put("unexpected", random.nextInt());
            case 9 -> NODES.textNode(randomText(1 + random.nextInt(40)));
            case 10 -> NODES.numberNode(0);
            default -> NODES.textNode("");
        };
    }

    String randomText(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            text.append(
                    kind == 0
                            ? (char) random.nextInt(0x20)
                            : kind == 1 ? (char) (0x80 + random.nextInt(0x700)) : (char) (0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }

    private JsonNode mutateSomewhere(JsonNode node) {
        if (!node.isContainerNode() || node.isEmpty() || random.nextInt(4) == 0) {
            return mutateHere(node);
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(5)) {
                case 0 -> object.remove(name);
                case 1 -> object.set("x" + randomText(3), value());
                default -> object.set(name, mutateSomewhere(object.get(name)));
            }
            return object;
        }
        ArrayNode array = (ArrayNode) node;
        int index = random.nextInt(array.size());
        array.set(index, mutateSomewhere(array.get(index)));
        return array;
    }

    private JsonNode mutateHere(JsonNode node) {
        if (node instanceof ObjectNode object && random.nextBoolean()) {
            Iterator<String> names = object.fieldNames();
            if (names.hasNext()) {
                object.set(names.next(), value());
                return object;
            }
        }
        return value();
    }

    private byte[] garbage() {
        return switch (random.nextInt(5)) {
            case 0 -> new byte[] {(byte) 0xff, (byte) 0xfe, '{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};
            case 1 -> "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
            case 2 -> "{\"a\": 1} trailing".getBytes(StandardCharsets.UTF_8);
            case 3 -> randomText(50).getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] bytes = new byte[1 + random.nextInt(200)];
                random.nextBytes(bytes);
                yield bytes;
            }
        };
    }

    private static byte[] deepNesting(int depth) {
        return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] truncate(byte[] bytes) {
        return java.util.Arrays.copyOf(bytes, Math.max(1, random.nextInt(bytes.length)));
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
