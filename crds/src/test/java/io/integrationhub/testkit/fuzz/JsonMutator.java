package io.integrationhub.testkit.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The JSON mutation engine of the hub's fuzzers: random values of any JSON type (sometimes extreme),
 * random text with control and non-ASCII characters, and a mutation somewhere in a document's tree
 * (a field removed, an unknown one added, a value replaced or retyped). The data plane's REST-body
 * fuzzer and the manifest fuzzer build on it, each with its own hostile strings and extras.
 *
 * <p>Every draw comes from the one {@link Random} the caller passes and shares with its own draws, in
 * a fixed order: the same seed always yields the same cases, so a failure can be replayed. The
 * {@link Values} and {@link Replace} options keep each fuzzer's cases what they were before the
 * engine was shared; changing what a draw means changes every fuzzer's cases.
 */
public final class JsonMutator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Which values {@link #value()} draws from. */
    public enum Values {
        /** Null, booleans, integers (extreme too), a huge float, strings, a small array or object, zero. */
        BASIC(12),
        /** {@link #BASIC} and a fraction and a nested array/object up to 100 deep. */
        WITH_FRACTION_AND_NESTING(14);

        private final int kinds;

        Values(int kinds) {
            this.kinds = kinds;
        }
    }

    /** Which field of an object a mutation "here" replaces. */
    public enum Replace {
        /** The first field. */
        FIRST_FIELD,
        /** A field drawn at random. */
        ANY_FIELD
    }

    private final Random random;
    private final String[] strings;
    private final Values values;
    private final Replace replace;

    /**
     * @param random the fuzzer's generator, shared with its own draws
     * @param strings the hostile strings {@link #value()} picks from
     */
    public JsonMutator(Random random, String[] strings, Values values, Replace replace) {
        this.random = random;
        this.strings = strings.clone();
        this.values = values;
        this.replace = replace;
    }

    /** A random value of any JSON type, sometimes extreme. */
    public JsonNode value() {
        return switch (random.nextInt(values.kinds)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt());
            case 3 -> NODES.numberNode(Long.MAX_VALUE);
            case 4 -> NODES.numberNode(new BigInteger("9".repeat(60)));
            case 5 -> NODES.numberNode(-1.5e300);
            case 6 -> NODES.textNode(strings[random.nextInt(strings.length)]);
            case 7 -> NODES.arrayNode().add(random.nextInt(100)).add("x");
            case 8 -> NODES.objectNode().put("unexpected", random.nextInt());
            case 9 -> NODES.textNode(randomText(1 + random.nextInt(40)));
            case 10 -> NODES.numberNode(0);
            case 11 -> values == Values.BASIC ? NODES.textNode("") : NODES.numberNode(0.5);
            case 12 -> nested(2 + random.nextInt(100));
            default -> NODES.textNode("");
        };
    }

    /** {@code length} characters: a tenth control characters, a tenth non-ASCII, the rest printable ASCII. */
    public String randomText(int length) {
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

    /**
     * One mutation somewhere in {@code node}'s tree (in place where it can): the node itself replaced,
     * or in a container a member removed, an unknown one added, or one mutated further down.
     */
    public JsonNode mutateSomewhere(JsonNode node) {
        if (!node.isContainerNode() || node.isEmpty() || random.nextInt(4) == 0) {
            return mutateHere(node);
        }
        if (node instanceof ObjectNode object) {
            List<String> names = fieldNames(object);
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
            List<String> names = fieldNames(object);
            if (!names.isEmpty()) {
                String name = replace == Replace.FIRST_FIELD ? names.get(0) : names.get(random.nextInt(names.size()));
                object.set(name, value());
                return object;
            }
        }
        return value();
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A string wrapped alternately in arrays and objects {@code depth} times. */
    public static JsonNode nested(int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }
}
