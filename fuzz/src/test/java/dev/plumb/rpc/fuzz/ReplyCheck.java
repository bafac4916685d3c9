package dev.plumb.rpc.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The invariants every reply Plumb sends must hold, whatever the input was: valid UTF-8 JSON; an object (or a
 * non-empty array of objects) with {@code "jsonrpc": "2.0"}, exactly one of {@code result}/{@code error}, an error
 * with an integer code and a string message, and an id that is the request's own or null; and no Java class name or
 * stack trace that was not already in the input.
 */
final class ReplyCheck {

    /** Java package prefixes (matched at a word start) that no reply may name unless the input did. */
    private static final String[] PACKAGES = {"java.", "javax.", "jdk.", "sun.", "dev.plumb.", "tools.jackson.",
            "reactor.", "io.netty."};
    /** Words of exceptions and stack traces. */
    private static final String[] TRACES = {"Exception", "Error:", "\tat ", "at dev.", "at java.", "at reactor."};

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final JsonMapper JSON = JsonMapper.builder(FACTORY).build();
    /** For reading one value out of a parser that goes on. */
    private static final JsonMapper VALUES = JsonMapper.builder(FACTORY)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private ReplyCheck() {
    }

    /** Checks one reply frame to {@code input}. */
    static void reply(byte[] input, byte[] reply) {
        reply(input, requestIds(input), reply);
    }

    /** Checks one reply frame to {@code input}, whose requests carried {@code ids}. */
    static void reply(byte[] input, Set<JsonNode> ids, byte[] reply) {
        String text;
        if (!isUtf8(reply)) {
            // invalid UTF-8 in the input is a parse error now (issue 12), never echoed
            throw new AssertionError("reply is not UTF-8: " + show(reply));
        }
        text = new String(reply, StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = JSON.readTree(reply);
        } catch (RuntimeException e) {
            throw new AssertionError("reply is not JSON (" + e.getMessage() + "): " + show(reply));
        }
        if (tree.isArray()) {
            check(!tree.isEmpty(), "an empty batch reply", text);
            for (JsonNode member : tree) {
                response(member, ids, text);
            }
        } else {
            response(tree, ids, text);
        }
        leaks(input, text);
    }

    private static void response(JsonNode r, Set<JsonNode> ids, String text) {
        check(r.isObject(), "a reply that is not an object", text);
        for (String name : r.propertyNames()) {
            check(Set.of("jsonrpc", "result", "error", "id").contains(name), "an unknown member " + name, text);
        }
        JsonNode version = r.get("jsonrpc");
        check(version != null && version.isString() && version.asString().equals("2.0"), "jsonrpc is not \"2.0\"",
                text);
        check(r.has("result") != r.has("error"), "not exactly one of result and error", text);
        if (r.has("error")) {
            JsonNode e = r.get("error");
            check(e.isObject(), "error is not an object", text);
            JsonNode code = e.get("code");
            check(code != null && code.isIntegralNumber() && code.canConvertToInt(), "error code is not an integer",
                    text);
            JsonNode message = e.get("message");
            check(message != null && message.isString(), "error message is not a string", text);
            for (String name : e.propertyNames()) {
                check(Set.of("code", "message", "data").contains(name), "an unknown error member " + name, text);
            }
        }
        check(r.has("id"), "no id member", text);
        JsonNode id = r.get("id");
        check(id.isNull() || id.isString() || id.isNumber(), "an id that is not a string, number or null", text);
        check(id.isNull() || ids.contains(id), "an id the input did not carry", text);
    }

    /**
     * Fails when the reply has a class name, exception or stack frame that the input did not already carry. Plain
     * {@code indexOf} rather than a regular expression: the fuzzer hooks {@code java.util.regex}, which costs much.
     */
    static void leaks(byte[] input, String reply) {
        String in = null;
        for (String p : PACKAGES) {
            for (int i = reply.indexOf(p); i >= 0; i = reply.indexOf(p, i + 1)) {
                boolean wordStart = i == 0 || !Character.isLetterOrDigit(reply.charAt(i - 1));
                boolean followed = i + p.length() < reply.length() && Character.isLetter(reply.charAt(i + p.length()));
                if (wordStart && followed) {
                    in = in != null ? in : new String(input, StandardCharsets.UTF_8);
                    String found = reply.substring(i, i + p.length() + 1);
                    // a name the input wrote with a \\u escape (e.g. "reactor.\\ud4ca") comes back decoded
                    boolean escapedInInput = found.charAt(p.length()) > 0x7f && in.contains(p);
                    if (!in.contains(found) && !escapedInInput) {
                        throw new AssertionError("reply carries \"" + found + "\" (a Java name): " + reply);
                    }
                }
            }
        }
        for (String t : TRACES) {
            if (reply.contains(t)) {
                in = in != null ? in : new String(input, StandardCharsets.UTF_8);
                if (!in.contains(t)) {
                    throw new AssertionError("reply carries \"" + t + "\" (an exception or stack trace): " + reply);
                }
            }
        }
    }

    /** Every scalar value of an {@code id} member of the input's top-level object(s), read leniently. */
    static Set<JsonNode> requestIds(byte[] input) {
        List<JsonNode> ids = new ArrayList<>();
        try (JsonParser p = JSON.createParser(input)) {
            int depth = 0;
            boolean batch = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (depth == 0) {
                        batch = t == JsonToken.START_ARRAY;
                    }
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.PROPERTY_NAME && depth == (batch ? 2 : 1) && "id".equals(p.currentName())) {
                    JsonToken v = p.nextToken();
                    if (v != null && v.isScalarValue()) {
                        ids.add(VALUES.readTree(p));
                    } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                }
            }
        } catch (RuntimeException e) {
            // what was read before the error counts
        }
        return Set.copyOf(ids);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void check(boolean ok, String what, String reply) {
        if (!ok) {
            throw new AssertionError("invalid reply, " + what + ": " + reply);
        }
    }

    static String show(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
        return bytes.length > 300 ? s + "…" : s;
    }
}
