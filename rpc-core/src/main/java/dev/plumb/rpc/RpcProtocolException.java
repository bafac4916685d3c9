package dev.plumb.rpc;

/**
 * The other side broke the protocol in a way that cannot be answered with an error reply: an unreadable frame
 * header, an answer that matches no call, an id-less error with several calls in flight.
 */
public class RpcProtocolException extends RpcException {
    /** A protocol violation described by {@code message}. */
    public RpcProtocolException(String message) {
        super(message);
    }

    /** A protocol violation with its cause. */
    public RpcProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
