package dev.plumb.rpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * What a handler produced: one {@link Value} or a {@link Stream} of items. Filters see and may replace it.
 */
public sealed interface RpcReply permits RpcReply.Value, RpcReply.Stream {

    /** A single result. */
    static RpcReply value(@Nullable Object value) {
        return new Value(value);
    }

    /** A stream of results. */
    static RpcReply stream(Flux<?> items) {
        return new Stream(items);
    }

    /**
     * A single result value (any value Jackson can write, a {@link RawJson}, or {@code null}).
     *
     * @param value the result
     */
    record Value(@Nullable Object value) implements RpcReply {
    }

    /**
     * A stream of items: sent item by item to a streaming caller, collected into an array for a plain call.
     *
     * @param items the items
     */
    record Stream(Flux<?> items) implements RpcReply {
        /** Checks items are present. */
        public Stream {
            Objects.requireNonNull(items, "items");
        }
    }
}
