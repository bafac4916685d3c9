package dev.plumb.rpc;

import java.util.Objects;

/**
 * An {@link RpcError} as an exception: what a caller gets when the remote side answered with an error, and what a
 * handler throws (or signals) to answer with a specific error instead of -32603.
 */
public class RpcErrorException extends RpcException {

    private final RpcError error;

    /** Wraps {@code error}. */
    public RpcErrorException(RpcError error) {
        super(Objects.requireNonNull(error, "error").code() + " " + error.message());
        this.error = error;
    }

    /** An error with the given code and message and no data. */
    public RpcErrorException(int code, String message) {
        this(new RpcError(code, message));
    }

    /** The error carried. */
    public RpcError error() {
        return error;
    }

    /** The error's code. */
    public int code() {
        return error.code();
    }
}
