package dev.plumb.rpc;

import java.util.Objects;

/**
 * A call without an {@code id}: the receiver runs it and never answers.
 *
 * @param method the method name
 * @param params the parameters, an array or object, or {@code null} when absent
 */
public record RpcNotification(String method, RawJson params) implements RpcMessage {
    /** Checks the method is present. */
    public RpcNotification {
        Objects.requireNonNull(method, "method");
    }
}
