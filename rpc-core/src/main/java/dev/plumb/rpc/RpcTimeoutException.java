package dev.plumb.rpc;

import java.time.Duration;

/** A call got no response within its timeout; the pending call was freed and a cancel sent to the peer. */
public class RpcTimeoutException extends RpcException {

    private final Duration timeout;

    /** A timeout of {@code method} after {@code timeout}. */
    public RpcTimeoutException(String method, Duration timeout) {
        super("no response to '" + method + "' within " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** The timeout that elapsed. */
    public Duration timeout() {
        return timeout;
    }
}
