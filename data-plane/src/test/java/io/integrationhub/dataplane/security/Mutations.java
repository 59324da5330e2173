package io.integrationhub.dataplane.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.integrationhub.registry.Json;
import io.integrationhub.testkit.fuzz.JsonMutator;
import io.integrationhub.testkit.fuzz.JsonMutator.Replace;
import io.integrationhub.testkit.fuzz.JsonMutator.Values;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A seeded generator of hostile inputs on the shared {@link JsonMutator} engine: it takes a valid document and applies random mutations
 * (fields removed, retyped, replaced by huge numbers, deep nesting, unknown fields, control
 * characters, oversized strings) or produces raw bytes that are not JSON or not UTF-8. The same
 * seed always yields the same cases, so a failure can be replayed.
 */
final class Mutations {
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
    private final JsonMutator engine;

    Mutations(long seed) {
        this.random = new Random(seed);
        this.engine = new JsonMutator(random, STRINGS, Values.BASIC, Replace.FIRST_FIELD);
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
            copy = engine.mutateSomewhere(copy);
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
        return engine.value();
    }

    String randomText(int length) {
        return engine.randomText(length);
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
