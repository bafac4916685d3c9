package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import org.jspecify.annotations.Nullable;

/** The wire messages of Plumb's credit-based streams; see {@code docs/streaming.md}. */
public final class StreamProtocol {

    /** Request: open a stream of {@code method}'s items. Its response ends the stream. */
    public static final String OPEN = "$/stream/open";
    /** Notification, consumer to producer: {@code n} more items may be sent. */
    public static final String REQUEST = "$/stream/request";
    /** Notification, producer to consumer: one item. */
    public static final String NEXT = "$/stream/next";

    private StreamProtocol() {
    }

    /**
     * Params of {@link #OPEN}.
     *
     * @param method the streaming method
     * @param params its params, or {@code null}
     */
    public record Open(String method, @Nullable Object params) {
    }

    /**
     * Params of {@link #REQUEST}.
     *
     * @param id the stream's request id
     * @param n  how many more items may be sent
     */
    public record Demand(RawJson id, long n) {
    }

    /**
     * Params of {@link #NEXT}.
     *
     * @param id    the stream's request id
     * @param value the item
     */
    public record Item(RawJson id, Object value) {
    }

    /**
     * Params of {@link #NEXT} carrying several items at once.
     *
     * @param id     the stream's request id
     * @param values the items, in order
     */
    public record Items(RawJson id, java.util.List<Object> values) {
    }
}
