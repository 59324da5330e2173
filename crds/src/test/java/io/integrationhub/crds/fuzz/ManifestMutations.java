package io.integrationhub.crds.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.integrationhub.testkit.fuzz.JsonMutator;
import io.integrationhub.testkit.fuzz.JsonMutator.Replace;
import io.integrationhub.testkit.fuzz.JsonMutator.Values;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile Kubernetes manifests (Provider and Secret documents) on the shared
 * {@link JsonMutator} engine, as the data plane's {@code Mutations} builds hostile REST bodies: it takes valid documents and applies
 * random mutations, some anywhere in the tree (fields removed, retyped, replaced by extreme
 * numbers, unknown fields), some aimed at the fields a Provider's rules care about (URLs, names,
 * {@code secretRef}, {@code tenantId}, bounds, headers, scopes); then renders them as YAML (several
 * documents per file) or JSON, sometimes corrupted (truncated, invalid UTF-8, NUL, tabs), or
 * replaces them by raw garbage, deep nesting or YAML alias bombs. The same seed always yields the
 * same cases, so a failure can be replayed.
 */
public final class ManifestMutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());
    private static final String[] STRINGS = {
        "",
        " ",
        "\u0000",
        "a\u0000b",
        "\r\nX-Injected: 1",
        "\t",
        "../../etc/passwd",
        "%2e%2e/",
        "//evil.test",
        "http://169.254.169.254/",
        "\u202e\u0041",
        "null",
        "~",
        "true",
        "0x10",
        "1e3",
        "{}",
        "[]",
        "' OR 1=1 --",
        "<script>",
        "\ud83d\ude00",
        "\ud800",
        "a".repeat(5000),
        "java.lang.NullPointerException",
        "${jndi:ldap://127.0.0.1/x}",
        "*alias",
        "&anchor",
        "!!binary",
        "- item",
        "key: value",
        "#comment",
        "---",
        "..."
    };
    private static final String[] URLS = {
        "ftp://files.example.com",
        "https://",
        "https:///path",
        "https://user:pw@api.example.com",
        "https://api.example.com/#frag",
        "https://api.example.com/?q=1",
        "http://169.254.169.254/latest",
        "https://[::1]/",
        "https://0x7f000001/",
        "https://2130706433/",
        "https://127.1/",
        "https://api.example.com:0/",
        "https://api.example.com:99999/",
        "javascript:alert(1)",
        "https://exa mple.com/",
        "//api.example.com",
        "https://api.example.com/\u0000",
        "HTTPS://API.EXAMPLE.COM",
        "https://api.example.com/" + "a".repeat(3000),
        "https://\u00fcml\u00e4ut.example/",
        "https://api.example.com/%zz",
        "https:api",
        "http://api.example.com",
        "https://api.example.com\\@evil.test/",
        "https://-bad-.example/",
        "mailto:ops@example.com"
    };
    private static final String[] NAMES = {
        "",
        "UPPER",
        "a".repeat(64),
        "a".repeat(300),
        "a.b",
        "-x",
        "x-",
        "x_y",
        "..",
        "a/b",
        "\u0000",
        "na\u00efve",
        "x y",
        "0",
        "default",
        "a\nb"
    };
    private static final String[] TENANTS = {
        "",
        " ",
        "a b",
        "t".repeat(129),
        "t".repeat(5000),
        "\u0000",
        "te\u0000nant",
        "../other",
        "\u00fcnicode",
        "-lead",
        "trail-",
        "null",
        "a/b",
        "t1",
        "other-tenant",
        "UPPER",
        "a\tb",
        "\u202eabc"
    };
    private static final String[] ENUM_WORDS = {
        "PAYMENT",
        "Payment",
        "payment ",
        "api-key",
        "API_KEY",
        "Bearer",
        "oauth2",
        "fax",
        "HEADER",
        "cookie",
        "Active",
        "deleted",
        "enabled"
    };
    private static final String[] HEADER_NAMES = {
        "Authorization",
        "authorization",
        "Host",
        "Content-Length",
        "Transfer-Encoding",
        "Connection",
        "Idempotency-Key",
        "traceparent",
        "bad name",
        "X:Colon",
        "",
        "X\u0000",
        "\u00e9t\u00e9",
        "x".repeat(200)
    };

    private final Random random;
    private final JsonMutator engine;

    public ManifestMutations(long seed) {
        this.random = new Random(seed);
        this.engine = new JsonMutator(random, STRINGS, Values.WITH_FRACTION_AND_NESTING, Replace.ANY_FIELD);
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** True once in {@code n} draws. */
    public boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    /** A mutated copy of {@code valid} (1 to 3 mutations, mostly one; aimed or anywhere). */
    public JsonNode mutate(JsonNode valid) {
        JsonNode copy = valid.deepCopy();
        int draw = random.nextInt(10);
        int mutations = draw < 6 ? 1 : draw < 9 ? 2 : 3;
        for (int i = 0; i < mutations; i++) {
            copy = random.nextBoolean() ? mutateAimed(copy) : mutateBelowTheTop(copy);
        }
        return copy;
    }

    /**
     * The documents as one file: YAML documents separated by {@code ---} or JSON (one object, or a
     * {@code kind: List} of several), sometimes corrupted afterwards.
     */
    public byte[] render(List<JsonNode> documents) {
        byte[] bytes;
        if (random.nextInt(10) < 6) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (JsonNode document : documents) {
                if (out.size() > 0) {
                    out.writeBytes("---\n".getBytes(StandardCharsets.UTF_8));
                }
                out.writeBytes(write(YAML, document));
            }
            bytes = out.toByteArray();
        } else if (documents.size() == 1) {
            bytes = write(JSON, documents.get(0));
        } else {
            ObjectNode list = NODES.objectNode().put("apiVersion", "v1").put("kind", "List");
            documents.forEach(list.putArray("items")::add);
            bytes = write(JSON, list);
        }
        return random.nextInt(12) == 0 ? corrupt(bytes) : bytes;
    }

    /** One document as YAML or JSON text, sometimes corrupted: what a client may send for one object. */
    public byte[] renderOne(JsonNode document) {
        return render(List.of(document));
    }

    /**
     * Input that is not a manifest at all: random bytes, invalid UTF-8, deep nesting, YAML alias
     * bombs and recursive aliases, odd YAML tags, scalars, empty documents.
     */
    public byte[] hostile() {
        String text = switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> "[".repeat(3000) + "]".repeat(3000);
            case 2 -> "{\"a\":".repeat(1500) + "1" + "}".repeat(1500);
            case 3 -> deepBlockYaml(random.nextBoolean() ? 60 : 1500);
            case 4 -> aliasBomb(random.nextBoolean() ? 6 : 9);
            case 5 -> "a: &a [*a]\nkind: Provider\n";
            case 6 -> "apiVersion: integrationhub.io/v1\nkind: Provider\nmetadata: &m {name: aliased}\nspec: *m\n";
            case 7 -> "!!java/object:java.lang.ProcessBuilder [[\"id\"]]\n";
            case 8 -> "apiVersion: !!binary aW50ZWdyYXRpb25odWIuaW8vdjE=\nkind: Provider\nmetadata: {name: tagged}\n";
            case 9 -> "---\n---\n...\n";
            case 10 -> "just a scalar";
            case 11 -> "- 1\n- 2\n";
            case 12 -> "? [complex, key]\n: value\nkind: Provider\n";
            case 13 -> "kind: Provider\nkind: Provider\napiVersion: integrationhub.io/v1\n";
            case 14 -> "\ufeff" + "apiVersion: integrationhub.io/v1\nkind: Provider\nmetadata:\n\tname: tabbed\n";
            default -> randomText(1 + random.nextInt(200));
        };
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[1 + random.nextInt(300)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A YAML (or JSON) file of at least {@code bytes} bytes: one huge string value in an otherwise plausible Provider. */
    public static byte[] huge(int bytes, boolean json) {
        StringBuilder text = new StringBuilder(bytes + 200)
                .append(
                        json
                                ? "{\"apiVersion\": \"integrationhub.io/v1\", \"kind\": \"Provider\", \"metadata\": {\"name\": \"huge\"},"
                                        + " \"spec\": {\"type\": \"custom\", \"baseUrl\": \"https://a.example.com/"
                                : "apiVersion: integrationhub.io/v1\nkind: Provider\nmetadata: {name: huge}\nspec:\n  type: custom\n  baseUrl: https://a.example.com/");
        while (text.length() < bytes) {
            text.append("abcdefghij");
        }
        return text.append(json ? "\"}}\n" : "\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A random value of any JSON type, sometimes extreme. */
    public JsonNode value() {
        return engine.value();
    }

    /** Printable ASCII mixed with control characters and non-ASCII letters. */
    public String randomText(int length) {
        return engine.randomText(length);
    }

    private JsonNode mutateAimed(JsonNode document) {
        if (!(document instanceof ObjectNode root)) {
            return document;
        }
        ObjectNode spec = root.get("spec") instanceof ObjectNode s ? s : null;
        ObjectNode auth = spec != null && spec.get("auth") instanceof ObjectNode a ? a : null;
        ObjectNode config = spec != null && spec.get("config") instanceof ObjectNode c ? c : null;
        switch (random.nextInt(16)) {
            case 0 -> {
                if (spec != null) {
                    spec.put("baseUrl", pick(URLS));
                }
            }
            case 1 -> {
                if (auth != null) {
                    auth.put("tokenUrl", pick(URLS));
                }
            }
            case 2 ->
                object(root, "metadata").set("name", random.nextInt(4) == 0 ? value() : NODES.textNode(pick(NAMES)));
            case 3 -> {
                if (spec != null) {
                    spec.set("tenantId", random.nextInt(4) == 0 ? value() : NODES.textNode(pick(TENANTS)));
                }
            }
            case 4 -> {
                if (auth != null) {
                    secretRef(auth);
                }
            }
            case 5 -> {
                ObjectNode target = random.nextBoolean() ? spec : auth;
                if (target != null) {
                    String field =
                            target == spec ? pick(new String[] {"type", "status"}) : pick(new String[] {"type", "in"});
                    target.set(field, random.nextInt(3) == 0 ? value() : NODES.textNode(pick(ENUM_WORDS)));
                }
            }
            case 6, 7 -> {
                if (config != null) {
                    bound(config);
                }
            }
            case 8 -> {
                if (config != null) {
                    defaultHeaders(config);
                }
            }
            case 9 -> {
                if (auth != null) {
                    scopes(auth);
                }
            }
            case 10 -> {
                if (auth != null) {
                    auth.set("name", random.nextBoolean() ? NODES.textNode(pick(HEADER_NAMES)) : value());
                }
            }
            case 11 -> secretData(root);
            case 12 -> {
                ObjectNode target = pick(new ObjectNode[] {
                    root, spec == null ? root : spec, auth == null ? root : auth, config == null ? root : config
                });
                target.set(
                        pick(new String[] {"colour", "credentials", "apiKey", "x-" + randomText(3), "status", "id"}),
                        value());
            }
            case 13 -> {
                if (spec != null) {
                    spec.remove(pick(new String[] {"type", "baseUrl", "auth", "config", "tenantId"}));
                }
            }
            case 14 ->
                root.set(
                        pick(new String[] {"apiVersion", "kind"}),
                        random.nextBoolean()
                                ? value()
                                : NODES.textNode(pick(new String[] {
                                    "integrationhub.io/v2",
                                    "v1",
                                    "Provider",
                                    "provider",
                                    "Secret",
                                    "List",
                                    "ConfigMap",
                                    "integrationhub.io/v1"
                                })));
            default -> {
                if (spec != null) {
                    spec.put(
                            pick(new String[] {"baseUrl", "tenantId", "type"}),
                            "x".repeat(random.nextBoolean() ? 3000 : 100_000));
                }
            }
        }
        return root;
    }

    private void secretRef(ObjectNode auth) {
        ObjectNode ref = object(auth, "secretRef");
        switch (random.nextInt(8)) {
            case 0 -> ref.put("name", pick(NAMES));
            case 1 -> ref.set("name", value());
            case 2 -> ref.remove("name");
            case 3 ->
                ref.putObject("keys")
                        .put(
                                pick(new String[] {"apiKey", "token", "username", "password", "clientId", "unknown"}),
                                pick(new String[] {
                                    "a/b", "", "..", "k".repeat(300), "ok-key", "\u0000", "sp ace", "\u00e9"
                                }));
            case 4 -> ref.set("keys", value());
            case 5 -> {
                ObjectNode keys = ref.putObject("keys");
                for (int i = 0; i < 6; i++) {
                    keys.put("entry" + i, "key" + i);
                }
            }
            case 6 -> auth.remove("secretRef");
            default -> auth.set("secretRef", value());
        }
    }

    private void bound(ObjectNode config) {
        String[][] fields = {
            {null, "timeoutMs"},
            {null, "rateLimitPerSec"},
            {null, "maxConcurrency"},
            {"retry", "maxAttempts"},
            {"retry", "baseDelayMs"},
            {"retry", "multiplier"},
            {"retry", "jitterMs"},
            {"retry", "budgetPercent"},
            {"circuitBreaker", "failureThreshold"},
            {"circuitBreaker", "failureWindowSec"},
            {"circuitBreaker", "openSec"},
            {"circuitBreaker", "halfOpenProbes"},
            {null, "allowPrivateNetwork"}
        };
        String[] field = pick(fields);
        ObjectNode parent = field[0] == null ? config : object(config, field[0]);
        JsonNode[] extremes = {
            NODES.numberNode(-1),
            NODES.numberNode(0),
            NODES.numberNode(1),
            NODES.numberNode(10),
            NODES.numberNode(11),
            NODES.numberNode(30_001),
            NODES.numberNode(100_001),
            NODES.numberNode(Integer.MAX_VALUE),
            NODES.numberNode(Integer.MIN_VALUE),
            NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(new BigInteger("9".repeat(40))),
            NODES.numberNode(1.5),
            NODES.numberNode(0.999),
            NODES.numberNode(1e300),
            NODES.numberNode(-0.0),
            NODES.textNode("5000"),
            NODES.textNode("abc"),
            NODES.textNode("NaN"),
            NODES.booleanNode(true),
            NODES.nullNode(),
            NODES.arrayNode(),
            NODES.objectNode()
        };
        parent.set(field[1], random.nextInt(5) == 0 ? value() : pick(extremes));
    }

    private void defaultHeaders(ObjectNode config) {
        ObjectNode headers = config.putObject("defaultHeaders");
        switch (random.nextInt(4)) {
            case 0 -> headers.put(pick(HEADER_NAMES), "v");
            case 1 -> headers.set("X-Fuzz", random.nextBoolean() ? NODES.textNode(pick(STRINGS)) : value());
            case 2 -> {
                for (int i = 0; i < 60; i++) {
                    headers.put("X-H" + i, "v");
                }
            }
            default -> config.set("defaultHeaders", value());
        }
    }

    private void scopes(ObjectNode auth) {
        ArrayNode scopes = NODES.arrayNode();
        switch (random.nextInt(4)) {
            case 0 -> scopes.add(pick(new String[] {"a b", "", "\"q\"", "back\\slash", "x".repeat(300), "\u00e9"}));
            case 1 -> {
                for (int i = 0; i < 60; i++) {
                    scopes.add("s" + i);
                }
            }
            case 2 -> scopes.add(value());
            default -> {
                auth.set("scopes", value());
                return;
            }
        }
        auth.set("scopes", scopes);
    }

    /** Secret documents: values that break the credential rules, data that is not base64, keys gone. */
    private void secretData(ObjectNode root) {
        String field = random.nextBoolean() ? "stringData" : "data";
        ObjectNode data = object(root, field);
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        String key = keys.isEmpty() ? "token" : keys.get(random.nextInt(keys.size()));
        switch (random.nextInt(6)) {
            case 0 -> data.remove(key);
            case 1 ->
                data.put(key, pick(new String[] {
                    "", "tab\there", "nul\u0000", "line\nbreak", "x".repeat(9000), "user:colon"
                }));
            case 2 -> data.put(key, pick(new String[] {"not base64!", "====", "YQ", "\u00e9"}));
            case 3 -> data.set(key, value());
            case 4 -> root.set(field, value());
            default -> data.put(pick(new String[] {"../x", "", "k".repeat(300)}), "v");
        }
    }

    /** Anywhere, but mostly inside {@code spec} or {@code metadata} rather than replacing a whole document or its kind. */
    private JsonNode mutateBelowTheTop(JsonNode document) {
        if (document instanceof ObjectNode root && random.nextInt(5) != 0) {
            String field = root.has("spec") && random.nextInt(4) != 0
                    ? "spec"
                    : root.has("metadata") ? "metadata" : root.has("stringData") ? "stringData" : null;
            if (field != null) {
                root.set(field, engine.mutateSomewhere(root.get(field)));
                return root;
            }
        }
        return engine.mutateSomewhere(document);
    }

    private byte[] corrupt(byte[] bytes) {
        int at = random.nextInt(bytes.length + 1);
        return switch (random.nextInt(6)) {
            case 0 -> Arrays.copyOf(bytes, Math.max(1, at));
            case 1 -> splice(bytes, at, new byte[] {(byte) 0xc3, (byte) 0x28});
            case 2 -> splice(bytes, at, new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xed});
            case 3 -> splice(bytes, at, new byte[] {0});
            case 4 -> splice(bytes, at, new byte[] {'\t'});
            default ->
                new String(bytes, StandardCharsets.UTF_8).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] splice(byte[] bytes, int at, byte[] inserted) {
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }

    /** The object under {@code field}, put in place of whatever else is there. */
    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode object ? object : parent.putObject(field);
    }

    private static String deepBlockYaml(int depth) {
        StringBuilder yaml =
                new StringBuilder("apiVersion: integrationhub.io/v1\nkind: Provider\nmetadata: {name: deep}\nspec:\n");
        for (int i = 1; i <= depth; i++) {
            yaml.append("  ".repeat(i)).append("config:\n");
        }
        return yaml.append("  ".repeat(depth + 1)).append("timeoutMs: 1\n").toString();
    }

    /** The "billion laughs": each level holds nine aliases of the one before. */
    private static String aliasBomb(int levels) {
        StringBuilder yaml =
                new StringBuilder("apiVersion: integrationhub.io/v1\nkind: Provider\nmetadata: {name: bomb}\n");
        yaml.append("l0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < levels; i++) {
            String previous = "*l" + (i - 1);
            yaml.append("l")
                    .append(i)
                    .append(": &l")
                    .append(i)
                    .append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, previous)))
                    .append("]\n");
        }
        return yaml.append("spec: {type: custom, baseUrl: https://bomb.example.com, config: {defaultHeaders: *l")
                .append(levels - 1)
                .append("}}\n")
                .toString();
    }

    private byte[] write(ObjectMapper mapper, JsonNode document) {
        try {
            return mapper.writeValueAsBytes(document);
        } catch (Exception unwritable) {
            // e.g. a lone surrogate the writer refuses: the raw garbage stands in for it
            return hostile();
        }
    }

    private <T> T pick(T[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
