package dev.plumb.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a peer treats what the other side does outside the strict JSON-RPC 2.0 specification: the one place a
 * protocol's quirks are configured, so the peer itself carries none of them. Immutable; each method returns a
 * copy with one setting changed.
 *
 * <pre>{@code
 * RpcPeer.builder(connection).dialect(RpcDialect.strict().inboundPrefix("\u0000")).connect();
 * }</pre>
 *
 * <p>{@link #strict()} is the specification: invalid frames are answered with -32700/-32600, an error
 * response without an id is logged and dropped, frames are taken as they are. {@code CiviPipe} (in
 * {@code rpc-pipe}) configures the {@code Civi::pipe} dialect.
 */
public final class RpcDialect {

    private static final RpcDialect STRICT = new RpcDialect(null, true, false);

    private final byte[] inboundPrefix;
    private final boolean replyToInvalidFrames;
    private final boolean idlessErrorsToSoleCall;

    private RpcDialect(byte[] inboundPrefix, boolean replyToInvalidFrames, boolean idlessErrorsToSoleCall) {
        this.inboundPrefix = inboundPrefix;
        this.replyToInvalidFrames = replyToInvalidFrames;
        this.idlessErrorsToSoleCall = idlessErrorsToSoleCall;
    }

    /** The JSON-RPC 2.0 specification, nothing added: the default of every peer. */
    public static RpcDialect strict() {
        return STRICT;
    }

    /**
     * A copy that strips {@code prefix} (UTF-8) from inbound frames that start with it, as a {@code Civi::pipe}
     * server puts its {@code responsePrefix} before each reply. Null or empty: no prefix (the default).
     */
    public RpcDialect inboundPrefix(String prefix) {
        byte[] bytes = prefix == null || prefix.isEmpty() ? null : prefix.getBytes(StandardCharsets.UTF_8);
        return new RpcDialect(bytes, replyToInvalidFrames, idlessErrorsToSoleCall);
    }

    /**
     * A copy that answers unreadable or invalid inbound frames with -32700/-32600 ({@code true}, the default, as
     * a JSON-RPC server must) or logs and drops them ({@code false}): for servers whose output may carry noise,
     * such as a PHP process, where answering would only start an exchange of errors.
     */
    public RpcDialect replyToInvalidFrames(boolean reply) {
        return new RpcDialect(inboundPrefix, reply, idlessErrorsToSoleCall);
    }

    /**
     * A copy that, when an error response arrives with a null or missing id while exactly one call is in flight,
     * fails that call with it ({@code true}), instead of logging and dropping it ({@code false}, the default).
     * Servers that answer a frame they could not read this way without an id ({@code Civi::pipe} does) need it
     * together with one call at a time ({@link RpcPeer.Builder#maxConcurrentCalls}).
     */
    public RpcDialect idlessErrorsToSoleCall(boolean route) {
        return new RpcDialect(inboundPrefix, replyToInvalidFrames, route);
    }

    /** Where the message of {@code frame} starts: after the inbound prefix when the frame carries it, else 0. */
    public int messageOffset(byte[] frame) {
        byte[] p = inboundPrefix;
        if (p != null && frame.length >= p.length && Arrays.equals(frame, 0, p.length, p, 0, p.length)) {
            return p.length;
        }
        return 0;
    }

    /** Whether invalid inbound frames are answered with an error (see {@link #replyToInvalidFrames(boolean)}). */
    public boolean repliesToInvalidFrames() {
        return replyToInvalidFrames;
    }

    /** Whether id-less errors go to the sole call in flight (see {@link #idlessErrorsToSoleCall(boolean)}). */
    public boolean routesIdlessErrorsToSoleCall() {
        return idlessErrorsToSoleCall;
    }

    @Override
    public String toString() {
        return "RpcDialect[inboundPrefix=" + (inboundPrefix == null ? "none"
                : '"' + new String(inboundPrefix, StandardCharsets.UTF_8) + '"')
                + ", replyToInvalidFrames=" + replyToInvalidFrames
                + ", idlessErrorsToSoleCall=" + idlessErrorsToSoleCall + "]";
    }
}
