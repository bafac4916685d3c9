package dev.plumb.rpc;

import dev.plumb.rpc.internal.LoggingWireTap;
import dev.plumb.rpc.internal.TappedConnection;

/**
 * Sees every frame a connection sends and receives, as the bytes on the wire (without framing): the opt-in trace of
 * a conversation, like reactor-netty's {@code wiretap} or LSP4J's {@code traceMessages}. Installed on a peer with
 * {@link RpcPeer.Builder#wireTap} (so every transport a peer runs on has it: in-memory, pipes, sockets, WebSocket),
 * and on HTTP with {@code HttpRpcClient.wireTap} and {@code HttpRpcOptions.wireTap}.
 *
 * <p>{@link #log()} writes the frames to the SLF4J logger {@value #LOGGER} at {@code DEBUG}, each cut to
 * {@value #DEFAULT_MAX_CHARS} characters; a lambda captures them for a test or a tool. A tap is called on the
 * transport's thread, in order, for each frame: it must be quick, must not block, and must neither change nor keep
 * the array. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface RpcWireTap {

    /** The logger {@link #log()} writes to: {@value}. */
    String LOGGER = "dev.plumb.rpc.wire";

    /** How many characters of a frame {@link #log()} writes: {@value}. */
    int DEFAULT_MAX_CHARS = 2000;

    /** Which way a frame went. */
    enum Direction {
        /** Received from the other side. */
        IN,
        /** Sent to the other side. */
        OUT
    }

    /**
     * Sees one frame.
     *
     * @param connection the connection's name (the peer's name, or the HTTP endpoint)
     * @param direction  whether the frame came in or went out
     * @param frame      the frame's bytes; read only, and only during this call
     */
    void frame(String connection, Direction direction, byte[] frame);

    /** Logs each frame at {@code DEBUG} to {@value #LOGGER}, cut to {@value #DEFAULT_MAX_CHARS} characters. */
    static RpcWireTap log() {
        return log(DEFAULT_MAX_CHARS);
    }

    /** Logs each frame at {@code DEBUG} to {@value #LOGGER}, cut to {@code maxChars} characters (and its size). */
    static RpcWireTap log(int maxChars) {
        return new LoggingWireTap(maxChars);
    }

    /**
     * {@code connection} with every frame in and out shown to {@code tap} under {@code name}: for a transport used
     * without a peer. A peer does this itself ({@link RpcPeer.Builder#wireTap}).
     */
    static RpcConnection tap(RpcConnection connection, String name, RpcWireTap tap) {
        return new TappedConnection(connection, name, tap);
    }
}
