package dev.plumb.rpc.internal;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a handler's failure into the error that goes on the wire: never a stack trace or a class name. */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger("dev.plumb.rpc.handler");

    private ErrorMapping() {
    }

    /** The wire error for {@code failure} of {@code method}; unexpected failures are logged here with their trace. */
    public static RpcError toError(String method, Throwable failure) {
        if (failure instanceof RpcErrorException e) {
            return e.error();
        }
        LOG.warn("handler of '{}' failed; answering -32603", method, failure);
        return RpcError.internalError();
    }

    /**
     * The error for work that ran out of heap ({@code what}, about {@code bytes} large): -32603 with a message
     * that says so, logged here. The caller answers it instead of letting the {@link OutOfMemoryError} kill the
     * connection; the failed allocation is garbage by then, so answering takes little. {@code e} may be null
     * when the lack of memory was caught further down.
     */
    public static RpcError outOfMemory(String what, long bytes, OutOfMemoryError e) {
        LOG.warn("out of memory {} ({} bytes){}; answering -32603", what, bytes, e == null ? "" : ": " + e);
        return new RpcError(RpcError.INTERNAL_ERROR, "Internal error: out of memory " + what + " (" + bytes
                + " bytes)");
    }
}
