package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcException;

/**
 * A pipe could not be made ready: the command did not start, the child died or stalled before its welcome header,
 * the header was malformed, or it did not meet the {@link PipeRequirements}.
 */
public class PipeStartException extends RpcException {

    /** A start failure with a reason. */
    public PipeStartException(String message) {
        super(message);
    }

    /** A start failure with a reason and the error behind it. */
    public PipeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
