package dev.plumb.rpc;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call that expects an answer: it has an {@code id} (which may be the {@code null} id).
 *
 * @param id       the id, echoed in the response
 * @param method   the method name
 * @param params   the parameters, an array or object, or {@code null} when absent
 * @param metadata the string members of the request's {@value RpcMetadata#MEMBER} member, empty when it has none
 *                 ({@code docs/observability.md})
 */
public record RpcRequest(RpcId id, String method, @Nullable RawJson params, Map<String, String> metadata) implements RpcMessage {
    /** Checks the id and method are present; a {@code null} metadata is empty. */
    public RpcRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** A request without metadata. */
    public RpcRequest(RpcId id, String method, @Nullable RawJson params) {
        this(id, method, params, Map.of());
    }
}
