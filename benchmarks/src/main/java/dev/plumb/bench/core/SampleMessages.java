package dev.plumb.bench.core;

import dev.plumb.rpc.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The messages every core benchmark works on: one typical 152-byte request and its 152-byte response, as wire
 * bytes and as the Java values a program would hold, so Plumb and LSP4J are measured on exactly the same input.
 */
public final class SampleMessages {

    /** The method both libraries call and register. */
    public static final String METHOD = "Queue.claimItems";

    /** The request id used throughout. */
    public static final int ID = 42;

    /** The request as it arrives on the wire (152 bytes of UTF-8, compact). */
    public static final byte[] REQUEST = utf8("{\"jsonrpc\":\"2.0\",\"method\":\"Queue.claimItems\","
            + "\"params\":{\"queue\":\"default\",\"select\":[\"id\",\"queue\",\"run_as\",\"status\"],\"limit\":5,"
            + "\"leaseSeconds\":30},\"id\":42}");

    /** The response as it arrives on the wire (152 bytes of UTF-8, compact). */
    public static final byte[] RESPONSE = utf8("{\"jsonrpc\":\"2.0\",\"result\":{\"items\":["
            + "{\"id\":101,\"queue\":\"default\",\"status\":\"claimed\"},"
            + "{\"id\":102,\"queue\":\"default\",\"status\":\"claimed\"}],\"count\":2},\"id\":42}");

    /** The request's params as a Java value. */
    public static final ClaimParams PARAMS = new ClaimParams("default", List.of("id", "queue", "run_as", "status"), 5,
            30);

    /** The response's result as a Java value. */
    public static final ClaimResult RESULT = new ClaimResult(List.of(new ClaimedItem(101, "default", "claimed"),
            new ClaimedItem(102, "default", "claimed")), 2);

    /** The request's params as already-encoded JSON (the forwarding case). */
    public static final RawJson PARAMS_JSON = RawJson.of("{\"queue\":\"default\","
            + "\"select\":[\"id\",\"queue\",\"run_as\",\"status\"],\"limit\":5,\"leaseSeconds\":30}");

    /** The response's result as already-encoded JSON (the forwarding case). */
    public static final RawJson RESULT_JSON = RawJson.of("{\"items\":["
            + "{\"id\":101,\"queue\":\"default\",\"status\":\"claimed\"},"
            + "{\"id\":102,\"queue\":\"default\",\"status\":\"claimed\"}],\"count\":2}");

    private SampleMessages() {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The parameters of {@code Queue.claimItems}.
     *
     * @param queue        the queue to claim from
     * @param select       the fields to return
     * @param limit        how many items at most
     * @param leaseSeconds how long the claim lasts
     */
    public record ClaimParams(String queue, List<String> select, int limit, int leaseSeconds) {
    }

    /**
     * The result of {@code Queue.claimItems}.
     *
     * @param items the claimed items
     * @param count how many were claimed
     */
    public record ClaimResult(List<ClaimedItem> items, int count) {
    }

    /**
     * One claimed queue item.
     *
     * @param id     the item id
     * @param queue  its queue
     * @param status its new status
     */
    public record ClaimedItem(long id, String queue, String status) {
    }
}
