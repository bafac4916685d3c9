package dev.plumb.rpc;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * A W3C Trace Context ({@code traceparent}, and {@code tracestate} if any) carried with calls, so that a handler's
 * work, and the calls it makes in turn, join the caller's trace.
 *
 * <p>It travels in a call's {@link RpcMetadata}: as HTTP headers, as headers of a WebSocket handshake, and, opt-in,
 * in the {@value RpcMetadata#MEMBER} member of requests over stream transports. A caller puts a trace in the Reactor
 * context ({@code mono.contextWrite(trace.asContext())}); {@link #propagation()} is the outgoing filter that sends it
 * (or, in a handler, the trace of the inbound call) with every call; {@link #current()} reads it in a handler.
 * Without a tracer the context is passed on unchanged; with Micrometer Tracing, {@code RpcObservation}'s filters
 * make a span per call and their tracing handler writes the trace into the metadata instead. See
 * {@code docs/observability.md}.
 *
 * @param traceparent the {@code traceparent} value: {@code 00-<trace id>-<parent id>-<flags>}
 * @param tracestate  the {@code tracestate} value, or {@code null}
 */
public record RpcTraceContext(String traceparent, @Nullable String tracestate) {

    /** The metadata name (and HTTP header) of the trace parent: {@value}. */
    public static final String TRACEPARENT = "traceparent";
    /** The metadata name (and HTTP header) of the vendor trace state: {@value}. */
    public static final String TRACESTATE = "tracestate";

    private static final Pattern VALID = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}.*");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Checks {@code traceparent} has the W3C form (version, 32-hex trace id, 16-hex parent id, flags). */
    public RpcTraceContext {
        Objects.requireNonNull(traceparent, "traceparent");
        if (!isValid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
    }

    /** Whether {@code traceparent} has the W3C form, with a trace id and a parent id that are not all zeros. */
    public static boolean isValid(@Nullable String traceparent) {
        return traceparent != null && VALID.matcher(traceparent).matches() && !traceparent.startsWith("ff")
                && !traceparent.substring(3, 35).equals("0".repeat(32))
                && !traceparent.substring(36, 52).equals("0".repeat(16));
    }

    /** A new trace, sampled, with random ids: for a caller that starts one without a tracer. */
    public static RpcTraceContext newRoot() {
        return new RpcTraceContext("00-" + hex(16) + "-" + hex(8) + "-01", null);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder s = new StringBuilder(bytes * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }

    /** The trace id: 32 hex digits. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The id of the caller's span: 16 hex digits. */
    public String parentId() {
        return traceparent.substring(36, 52);
    }

    /** A Reactor context holding this trace, for {@code contextWrite}. */
    public Context asContext() {
        return Context.of(RpcTraceContext.class, this);
    }

    /**
     * The trace in {@code context}: one put there with {@link #asContext()}, else the one that came in the inbound
     * call's {@link RpcMetadata}; {@code null} when there is none (or it is not valid).
     */
    public static @Nullable RpcTraceContext of(ContextView context) {
        Object put = context.getOrDefault(RpcTraceContext.class, null);
        if (put instanceof RpcTraceContext t) {
            return t;
        }
        return fromMetadata(RpcMetadata.of(context));
    }

    /** The trace in {@code metadata}, or {@code null} when it has none (or it is not valid). */
    public static @Nullable RpcTraceContext fromMetadata(Map<String, String> metadata) {
        String parent = metadata.get(TRACEPARENT);
        return isValid(parent) ? new RpcTraceContext(parent, metadata.get(TRACESTATE)) : null;
    }

    /** The trace of the running call (see {@link #of}); empty when there is none. */
    public static Mono<RpcTraceContext> current() {
        return Mono.deferContextual(ctx -> Mono.justOrEmpty(of(ctx)));
    }

    /** {@code call} carrying this trace, unless it carries a trace already (a tracer's, written by an observation). */
    public RpcClientCall addTo(RpcClientCall call) {
        if (call.metadata().containsKey(TRACEPARENT)) {
            return call;
        }
        RpcClientCall c = call.withMetadata(TRACEPARENT, traceparent);
        return tracestate == null ? c : c.withMetadata(TRACESTATE, tracestate);
    }

    /**
     * The outgoing filter that sends the caller's trace ({@link #of} its Reactor context) with every call: over
     * HTTP as headers, over a peer's stream transport as the {@value RpcMetadata#MEMBER} member. Calls made without
     * a trace go unchanged.
     */
    public static RpcClientFilter propagation() {
        return (call, next) -> Flux.deferContextual(ctx -> {
            RpcTraceContext trace = of(ctx);
            return next.proceed(trace == null ? call : trace.addTo(call));
        });
    }
}
