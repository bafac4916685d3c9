package dev.plumb.rpc;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call without an {@code id}: the receiver runs it and never answers.
 *
 * @param method   the method name
 * @param params   the parameters, an array or object, or {@code null} when absent
 * @param metadata the string members of the notification's {@value RpcMetadata#MEMBER} member, empty when it has
 *                 none
 */
public record RpcNotification(String method, @Nullable RawJson params, Map<String, String> metadata) implements RpcMessage {
    /** Checks the method is present; a {@code null} metadata is empty. */
    public RpcNotification {
        Objects.requireNonNull(method, "method");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** A notification without metadata. */
    public RpcNotification(String method, @Nullable RawJson params) {
        this(method, params, Map.of());
    }
}
