package dev.plumb.rpc.pipe.internal;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts a server's open connections against a limit, and words the refusal of one over it. */
public final class ConnectionCount {

    /** The JSON-RPC error code of the refusal, in the range the specification leaves to servers. */
    public static final int SERVER_BUSY = -32000;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    /** A count against {@code max} connections open at once ({@link Integer#MAX_VALUE}: no limit). */
    public ConnectionCount(int max) {
        this.max = max;
    }

    /** Counts {@code channel} until it closes; whether it is within the limit. */
    public boolean admit(Channel channel) {
        if (max == Integer.MAX_VALUE) {
            return true;
        }
        int n = open.incrementAndGet();
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return n <= max;
    }

    /** The framed error response sent to a connection over the limit before it is closed. */
    public static byte[] refusal(Framing framing) {
        byte[] frame = RpcCodec.defaults().encodeError(RpcId.NULL,
                new RpcError(SERVER_BUSY, "Server busy: too many connections"));
        byte[] header = framing.header(frame.length);
        byte[] trailer = framing.trailer();
        byte[] out = new byte[header.length + frame.length + trailer.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(frame, 0, out, header.length, frame.length);
        System.arraycopy(trailer, 0, out, header.length + frame.length, trailer.length);
        return out;
    }
}
