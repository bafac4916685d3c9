package dev.plumb.rpc.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a JSON value into a Jackson tree straight from its bytes with {@link JsonScanner}, giving the nodes
 * {@code ObjectMapper.readTree} gives (the same node types for numbers, the last of duplicate names, in the first
 * one's place) without a parser or a deserialization context. It applies only to a mapper whose tree reading is
 * the standard one: no modules, and every feature that changes it at its default ({@link #covers}). It recurses
 * once per level of nesting, so it applies only while the mapper's nesting limit is at most 1000.
 */
public final class PlainTreeReader {

    private PlainTreeReader() {
    }

    /** Whether trees read by {@code mapper} can be read here. */
    public static boolean covers(ObjectMapper mapper) {
        DeserializationConfig c = mapper.deserializationConfig();
        if (!mapper.registeredModules().isEmpty()
                || c.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                || c.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                || c.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                || c.isEnabled(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                || c.getNodeFactory().getClass() != JsonNodeFactory.class
                || mapper.tokenStreamFactory().streamReadConstraints().getMaxNestingDepth() > 1000) {
            return false;
        }
        for (JsonNodeFeature f : JsonNodeFeature.values()) {
            if (c.isEnabled(f) != f.enabledByDefault()) {
                return false;
            }
        }
        return true;
    }

    /** The tree of {@code b[offset..offset+length)}; throws {@link JsonScanner#MALFORMED} when it is not strict JSON. */
    public static JsonNode read(JsonNodeFactory nodes, byte[] b, int offset, int length,
            StreamReadConstraints constraints) {
        JsonScanner s = new JsonScanner(b, offset, length, constraints);
        JsonNode node = value(nodes, s, b);
        if (!s.atEnd()) {
            throw JsonScanner.MALFORMED;
        }
        return node;
    }

    private static JsonNode value(JsonNodeFactory nodes, JsonScanner s, byte[] b) {
        int c = s.skipWhitespace();
        int start = s.pos();
        switch (c) {
            case '"' -> {
                return nodes.stringNode(s.decodeString(start, s.skipString()));
            }
            case 't', 'f', 'n' -> {
                s.skipValue();
                return c == 'n' ? nodes.nullNode() : nodes.booleanNode(c == 't');
            }
            case '{' -> {
                ObjectNode object = nodes.objectNode();
                if (!s.enterNonEmpty('}')) {
                    return object;
                }
                do {
                    if (s.skipWhitespace() != '"') {
                        throw JsonScanner.MALFORMED;
                    }
                    int nameAt = s.pos();
                    String name = s.decodeName(nameAt, s.skipString());
                    s.expect(':');
                    object.set(name, value(nodes, s, b));
                } while (s.nextMember('}'));
                return object;
            }
            case '[' -> {
                ArrayNode array = nodes.arrayNode();
                if (!s.enterNonEmpty(']')) {
                    return array;
                }
                do {
                    array.add(value(nodes, s, b));
                } while (s.nextMember(']'));
                return array;
            }
            default -> {
                s.skipNumber();
                int end = s.pos();
                if (s.lastInteger()) {
                    if (s.lastIntegerDigits() <= 18) {
                        long v = JsonScanner.parseLong(b, start, end);
                        return v == (int) v ? nodes.numberNode((int) v) : nodes.numberNode(v);
                    }
                    BigInteger big = new BigInteger(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
                    return big.bitLength() < 64 ? nodes.numberNode(big.longValue()) : nodes.numberNode(big);
                }
                return nodes.numberNode(Double.parseDouble(new String(b, start, end - start,
                        StandardCharsets.ISO_8859_1)));
            }
        }
    }


}
