package dev.plumb.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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

    private static final RpcDialect STRICT = new RpcDialect(new Settings());

    private final Settings settings;

    private RpcDialect(Settings settings) {
        this.settings = settings;
    }

    /** The JSON-RPC 2.0 specification, nothing added: the default of every peer. */
    public static RpcDialect strict() {
        return STRICT;
    }

    /**
     * A copy that strips {@code prefix} (UTF-8) from inbound frames that start with it, as a {@code Civi::pipe}
     * server puts its {@code responsePrefix} before each reply. Null or empty: no prefix (the default).
     */
    public RpcDialect inboundPrefix(@Nullable String prefix) {
        byte[] bytes = prefix == null || prefix.isEmpty() ? null : prefix.getBytes(StandardCharsets.UTF_8);
        return with(s -> s.inboundPrefix = bytes);
    }

    /**
     * A copy that answers unreadable or invalid inbound frames with -32700/-32600 ({@code true}, the default, as
     * a JSON-RPC server must) or logs and drops them ({@code false}): for servers whose output may carry noise,
     * such as a PHP process, where answering would only start an exchange of errors.
     */
    public RpcDialect replyToInvalidFrames(boolean reply) {
        return with(s -> s.replyToInvalidFrames = reply);
    }

    /**
     * A copy that, when an error response arrives with a null or missing id while exactly one call is in flight,
     * fails that call with it ({@code true}), instead of logging and dropping it ({@code false}, the default).
     * Servers that answer a frame they could not read this way without an id ({@code Civi::pipe} does) need it
     * together with one call at a time ({@link RpcPeer.Builder#maxConcurrentCalls}).
     */
    public RpcDialect idlessErrorsToSoleCall(boolean route) {
        return with(s -> s.idlessErrorsToSoleCall = route);
    }

    /**
     * A copy whose cancellation is the notification {@code method} carrying the cancelled request's id in the
     * params member {@code idMember}, in both directions: sent when a local caller cancels (or times out), acted on
     * when received. Default LSP's: {@code $/cancelRequest} with {@code id}; MCP's is
     * {@code notifications/cancelled} with {@code requestId}. Plumb's streams are cancelled the same way.
     */
    public RpcDialect cancellation(String method, String idMember) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(idMember, "idMember");
        return with(s -> {
            s.cancelMethod = method;
            s.cancelIdMember = idMember;
        });
    }

    /**
     * A copy that answers a request cancelled by the other side with -32800 Request cancelled ({@code true}, the
     * default, as LSP asks) or sends nothing for it ({@code false}, as MCP asks: the receiver should not reply).
     * Either way the handler is stopped and its slot freed.
     */
    public RpcDialect answerCancelledRequests(boolean answer) {
        return with(s -> s.answerCancelled = answer);
    }

    /**
     * A copy that streams partial results the LSP way: when a request's params object carries the member
     * {@code tokenMember} (LSP: {@code partialResultToken}) and its handler returns a {@code Flux}, each item is
     * sent at once as a {@code progressMethod} notification (LSP: {@code $/progress}) with params
     * {@code {"token": <token>, "value": [item]}}, and the response's result is then an empty array. Without the
     * member, the items are collected into the result as usual. Default: off.
     */
    public RpcDialect partialResults(String tokenMember, String progressMethod) {
        Objects.requireNonNull(tokenMember, "tokenMember");
        Objects.requireNonNull(progressMethod, "progressMethod");
        return with(s -> {
            s.partialResultTokenMember = tokenMember;
            s.progressMethod = progressMethod;
        });
    }

    /** The cancel notification's method (see {@link #cancellation}). */
    public String cancelMethod() {
        return settings.cancelMethod;
    }

    /** The params member of the cancel notification that holds the id (see {@link #cancellation}). */
    public String cancelIdMember() {
        return settings.cancelIdMember;
    }

    /** Whether a request the other side cancelled is answered -32800 (see {@link #answerCancelledRequests}). */
    public boolean answersCancelledRequests() {
        return settings.answerCancelled;
    }

    /** The params member naming a partial-result token, or null when off (see {@link #partialResults}). */
    public @Nullable String partialResultTokenMember() {
        return settings.partialResultTokenMember;
    }

    /** The notification partial results go out as, or null when off (see {@link #partialResults}). */
    public @Nullable String progressMethod() {
        return settings.progressMethod;
    }

    /** Where the message of {@code frame} starts: after the inbound prefix when the frame carries it, else 0. */
    public int messageOffset(byte[] frame) {
        byte[] p = settings.inboundPrefix;
        if (p != null && frame.length >= p.length && Arrays.equals(frame, 0, p.length, p, 0, p.length)) {
            return p.length;
        }
        return 0;
    }

    /** Whether invalid inbound frames are answered with an error (see {@link #replyToInvalidFrames(boolean)}). */
    public boolean repliesToInvalidFrames() {
        return settings.replyToInvalidFrames;
    }

    /** Whether id-less errors go to the sole call in flight (see {@link #idlessErrorsToSoleCall(boolean)}). */
    public boolean routesIdlessErrorsToSoleCall() {
        return settings.idlessErrorsToSoleCall;
    }

    @Override
    public String toString() {
        Settings c = settings;
        byte[] inboundPrefix = c.inboundPrefix;
        String progressMethod = c.progressMethod;
        return "RpcDialect[inboundPrefix=" + (inboundPrefix == null ? "none"
                : '"' + new String(inboundPrefix, StandardCharsets.UTF_8) + '"')
                + ", replyToInvalidFrames=" + c.replyToInvalidFrames
                + ", idlessErrorsToSoleCall=" + c.idlessErrorsToSoleCall + ", cancellation=" + c.cancelMethod + "("
                + c.cancelIdMember + "), answerCancelledRequests=" + c.answerCancelled
                + ", partialResults=" + (progressMethod == null ? "off"
                        : progressMethod + "(" + c.partialResultTokenMember + ")")
                + "]";
    }

    private RpcDialect with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new RpcDialect(copy);
    }

    /** Every setting with its default, the specification's; copied once per change. */
    private static final class Settings implements Cloneable {
        byte @Nullable [] inboundPrefix;
        boolean replyToInvalidFrames = true;
        boolean idlessErrorsToSoleCall;
        String cancelMethod = DEFAULT_CANCEL_METHOD;
        String cancelIdMember = "id";
        boolean answerCancelled = true;
        @Nullable String partialResultTokenMember;
        @Nullable String progressMethod;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
