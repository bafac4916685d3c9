package dev.plumb.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One outgoing call as {@linkplain RpcClientFilter outgoing filters} see it: the method, its params (not yet
 * encoded), what kind of call it is, and the metadata to send with it.
 *
 * @param method   the method name
 * @param params   the params: any value Jackson writes, a {@link RawJson}, or {@code null}
 * @param kind     a call, a notification or a stream
 * @param metadata string pairs sent beside the call ({@link RpcMetadata}); empty by default
 */
public record RpcClientCall(String method, @Nullable Object params, Kind kind, Map<String, String> metadata) {

    /** What an outgoing call expects back. */
    public enum Kind {
        /** A request answered by one result: the filter chain gives at most one item. */
        CALL,
        /** A notification, never answered: the filter chain gives no items and completes once it is sent. */
        NOTIFICATION,
        /** A call whose result is a stream: the filter chain gives its items, undecoded. */
        STREAM
    }

    /** Checks method and kind are present; a {@code null} metadata is empty. */
    public RpcClientCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(kind, "kind");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A call of {@code kind} without metadata. */
    public RpcClientCall(String method, @Nullable Object params, Kind kind) {
        this(method, params, kind, Map.of());
    }

    /** This call with other params. */
    public RpcClientCall withParams(@Nullable Object newParams) {
        return new RpcClientCall(method, newParams, kind, metadata);
    }

    /** This call with metadata {@code name} (lower case by convention) set to {@code value}. */
    public RpcClientCall withMetadata(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(metadata);
        m.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new RpcClientCall(method, params, kind, m);
    }
}
