package dev.plumb.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

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

    /** The cancel notification of the default dialect: LSP's {@code $/cancelRequest}. */
    public static final String DEFAULT_CANCEL_METHOD = "$/cancelRequest";

    private static final RpcDialect STRICT = new RpcDialect(null, true, false, DEFAULT_CANCEL_METHOD, "id", true,
            null, null);

    private final byte[] inboundPrefix;
    private final boolean replyToInvalidFrames;
    private final boolean idlessErrorsToSoleCall;
    private final String cancelMethod;
    private final String cancelIdMember;
    private final boolean answerCancelled;
    private final String partialResultTokenMember;
    private final String progressMethod;

    private RpcDialect(byte[] inboundPrefix, boolean replyToInvalidFrames, boolean idlessErrorsToSoleCall,
                       String cancelMethod, String cancelIdMember, boolean answerCancelled,
                       String partialResultTokenMember, String progressMethod) {
        this.inboundPrefix = inboundPrefix;
        this.replyToInvalidFrames = replyToInvalidFrames;
        this.idlessErrorsToSoleCall = idlessErrorsToSoleCall;
        this.cancelMethod = cancelMethod;
        this.cancelIdMember = cancelIdMember;
        this.answerCancelled = answerCancelled;
        this.partialResultTokenMember = partialResultTokenMember;
        this.progressMethod = progressMethod;
    }

    private RpcDialect with(byte[] prefix, boolean reply, boolean idless) {
        return new RpcDialect(prefix, reply, idless, cancelMethod, cancelIdMember, answerCancelled,
                partialResultTokenMember, progressMethod);
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
        return with(bytes, replyToInvalidFrames, idlessErrorsToSoleCall);
    }

    /**
     * A copy that answers unreadable or invalid inbound frames with -32700/-32600 ({@code true}, the default, as
     * a JSON-RPC server must) or logs and drops them ({@code false}): for servers whose output may carry noise,
     * such as a PHP process, where answering would only start an exchange of errors.
     */
    public RpcDialect replyToInvalidFrames(boolean reply) {
        return with(inboundPrefix, reply, idlessErrorsToSoleCall);
    }

    /**
     * A copy that, when an error response arrives with a null or missing id while exactly one call is in flight,
     * fails that call with it ({@code true}), instead of logging and dropping it ({@code false}, the default).
     * Servers that answer a frame they could not read this way without an id ({@code Civi::pipe} does) need it
     * together with one call at a time ({@link RpcPeer.Builder#maxConcurrentCalls}).
     */
    public RpcDialect idlessErrorsToSoleCall(boolean route) {
        return with(inboundPrefix, replyToInvalidFrames, route);
    }

    /**
     * A copy whose cancellation is the notification {@code method} carrying the cancelled request's id in the
     * params member {@code idMember}, in both directions: sent when a local caller cancels (or times out), acted on
     * when received. Default LSP's: {@code $/cancelRequest} with {@code id}; MCP's is
     * {@code notifications/cancelled} with {@code requestId}. Plumb's streams are cancelled the same way.
     */
    public RpcDialect cancellation(String method, String idMember) {
        return new RpcDialect(inboundPrefix, replyToInvalidFrames, idlessErrorsToSoleCall,
                Objects.requireNonNull(method, "method"), Objects.requireNonNull(idMember, "idMember"),
                answerCancelled, partialResultTokenMember, progressMethod);
    }

    /**
     * A copy that answers a request cancelled by the other side with -32800 Request cancelled ({@code true}, the
     * default, as LSP asks) or sends nothing for it ({@code false}, as MCP asks: the receiver should not reply).
     * Either way the handler is stopped and its slot freed.
     */
    public RpcDialect answerCancelledRequests(boolean answer) {
        return new RpcDialect(inboundPrefix, replyToInvalidFrames, idlessErrorsToSoleCall, cancelMethod,
                cancelIdMember, answer, partialResultTokenMember, progressMethod);
    }

    /**
     * A copy that streams partial results the LSP way: when a request's params object carries the member
     * {@code tokenMember} (LSP: {@code partialResultToken}) and its handler returns a {@code Flux}, each item is
     * sent at once as a {@code progressMethod} notification (LSP: {@code $/progress}) with params
     * {@code {"token": <token>, "value": [item]}}, and the response's result is then an empty array. Without the
     * member, the items are collected into the result as usual. Default: off.
     */
    public RpcDialect partialResults(String tokenMember, String progressMethod) {
        return new RpcDialect(inboundPrefix, replyToInvalidFrames, idlessErrorsToSoleCall, cancelMethod,
                cancelIdMember, answerCancelled, Objects.requireNonNull(tokenMember, "tokenMember"),
                Objects.requireNonNull(progressMethod, "progressMethod"));
    }

    /** The cancel notification's method (see {@link #cancellation}). */
    public String cancelMethod() {
        return cancelMethod;
    }

    /** The params member of the cancel notification that holds the id (see {@link #cancellation}). */
    public String cancelIdMember() {
        return cancelIdMember;
    }

    /** Whether a request the other side cancelled is answered -32800 (see {@link #answerCancelledRequests}). */
    public boolean answersCancelledRequests() {
        return answerCancelled;
    }

    /** The params member naming a partial-result token, or null when off (see {@link #partialResults}). */
    public String partialResultTokenMember() {
        return partialResultTokenMember;
    }

    /** The notification partial results go out as, or null when off (see {@link #partialResults}). */
    public String progressMethod() {
        return progressMethod;
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
                + ", idlessErrorsToSoleCall=" + idlessErrorsToSoleCall + ", cancellation=" + cancelMethod + "("
                + cancelIdMember + "), answerCancelledRequests=" + answerCancelled
                + ", partialResults=" + (progressMethod == null ? "off" : progressMethod + "(" + partialResultTokenMember + ")")
                + "]";
    }
}
