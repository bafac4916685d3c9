package dev.plumb.rpc;

/**
 * The base of every exception Plumb raises; its subtypes are the cases a caller handles differently.
 */
public class RpcException extends RuntimeException {
    /** An exception with a message. */
    public RpcException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
