package dev.plumb.rpc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a request: a {@code result} or an {@code error}, never both.
 *
 * @param id     the id of the request answered; the {@code null} id when the request could not be read
 * @param result the result when successful ({@link RawJson#NULL} for a {@code null} result), else {@code null}
 * @param error  the error when failed, else {@code null}
 */
public record RpcResponse(RpcId id, @Nullable RawJson result, @Nullable RpcError error) implements RpcMessage {
    /** Checks that exactly one of result and error is set. */
    public RpcResponse {
        Objects.requireNonNull(id, "id");
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("a response has exactly one of result and error");
        }
    }

    /** A successful response. */
    public static RpcResponse success(RpcId id, RawJson result) {
        return new RpcResponse(id, result, null);
    }

    /** A failed response. */
    public static RpcResponse failure(RpcId id, RpcError error) {
        return new RpcResponse(id, null, error);
    }

    /** Whether this response carries an error. */
    public boolean isError() {
        return error != null;
    }
}
