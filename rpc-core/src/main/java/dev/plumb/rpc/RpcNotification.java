package dev.plumb.rpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call without an {@code id}: the receiver runs it and never answers.
 *
 * @param method the method name
 * @param params the parameters, an array or object, or {@code null} when absent
 */
public record RpcNotification(String method, @Nullable RawJson params) implements RpcMessage {
    /** Checks the method is present. */
    public RpcNotification {
        Objects.requireNonNull(method, "method");
    }
}
