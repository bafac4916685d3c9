package dev.plumb.rpc;

/**
 * The connection closed before the call was answered, or was already closed when the call was made. Transports
 * may subclass it to say more (a subprocess's exit code and last stderr lines, for example).
 */
public class RpcConnectionClosedException extends RpcException {
    /** A closed connection with a reason. */
    public RpcConnectionClosedException(String message) {
        super(message);
    }

    /** A closed connection with a reason and the error that closed it. */
    public RpcConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
