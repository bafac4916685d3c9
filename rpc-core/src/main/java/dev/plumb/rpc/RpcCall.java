package dev.plumb.rpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One inbound call as filters and handlers see it: the method, its params, and the id (absent for a
 * notification).
 *
 * @param method the method name
 * @param params the params, bound on demand
 * @param id     the request id, or {@code null} for a notification
 */
public record RpcCall(String method, RpcParams params, @Nullable RpcId id) {

    /** Checks method and params are present. */
    public RpcCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
    }

    /** Whether this call is a notification, which is never answered. */
    public boolean isNotification() {
        return id == null;
    }
}
