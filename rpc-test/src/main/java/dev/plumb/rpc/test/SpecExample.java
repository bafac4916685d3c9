package dev.plumb.rpc.test;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One exchange of the JSON-RPC 2.0 specification's examples (or of the supplementary vectors that come with
 * them): a request as sent, and what a strict server answers, read by {@link SpecExamples}.
 *
 * @param name     the section's title and the exchange's place in it, e.g. {@code "11. rpc call Batch: #1"}
 * @param request  the request text, sent as one frame or one HTTP body
 * @param response what a strict server answers, or {@code null} when nothing must be returned
 * @param accepted every answer the file accepts (the strict one first, then any marked {@code lenient:}); empty
 *                 when nothing must be returned
 */
public record SpecExample(String name, String request, @Nullable String response, List<String> accepted) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Checks the parts and copies {@code accepted}. */
    public SpecExample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        accepted = List.copyOf(accepted);
    }

    /** Whether a server must answer nothing (a notification, or a batch of notifications only). */
    public boolean expectsNoAnswer() {
        return response == null;
    }

    /**
     * Fails with an {@link AssertionError} unless {@code actual} is the strict {@link #response()}: the same JSON
     * tree, a batch's answers in any order (the specification allows it), and an {@code error.data} member ignored
     * where the example shows none (its content is the server's to choose). When nothing must be returned,
     * {@code actual} must be {@code null} or empty.
     */
    public void assertAnswer(@Nullable String actual) {
        if (expectsNoAnswer()) {
            if (actual != null && !actual.isBlank()) {
                Assertions.fail(name + ": nothing must be returned for " + request + ", but got " + actual);
            }
            return;
        }
        Assertions.assertNotNull(actual, () -> name + ": no answer to " + request);
        Assertions.assertEquals(normalize(JSON.readTree(response), null), normalize(JSON.readTree(actual),
                JSON.readTree(response)), () -> name + ": the answer to " + request);
    }

    /** Sorts a batch's answers and drops {@code error.data} where {@code expected} shows none. */
    private static JsonNode normalize(JsonNode node, JsonNode expected) {
        if (node.isArray()) {
            List<JsonNode> members = new java.util.ArrayList<>();
            node.forEach(m -> members.add(normalize(m, null)));
            members.sort((a, b) -> a.toString().compareTo(b.toString()));
            ArrayNode out = JSON.createArrayNode();
            members.forEach(out::add);
            return out;
        }
        if (node.isObject() && node.path("error").has("data")
                && (expected == null || !expected.path("error").has("data"))) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            ((ObjectNode) copy.get("error")).remove("data");
            return copy;
        }
        return node;
    }

    @Override
    public String toString() {
        return name;
    }
}
