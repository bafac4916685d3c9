package dev.plumb.rpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call that expects an answer: it has an {@code id} (which may be the {@code null} id).
 *
 * @param id     the id, echoed in the response
 * @param method the method name
 * @param params the parameters, an array or object, or {@code null} when absent
 */
public record RpcRequest(RpcId id, String method, @Nullable RawJson params) implements RpcMessage {
    /** Checks the id and method are present. */
    public RpcRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
    }
}
