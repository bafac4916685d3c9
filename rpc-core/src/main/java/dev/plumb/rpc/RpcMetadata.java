package dev.plumb.rpc;

import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Metadata of a call: string pairs that travel beside a call rather than in its params, such as a trace context
 * ({@code traceparent}) or a tenant. An outgoing filter adds them ({@link RpcClientCall#withMetadata}); over HTTP
 * they are request headers, over stream transports (pipes, sockets, WebSocket) a {@value #MEMBER} member of the
 * request object, sent only when there is metadata. The receiving side puts them in the Reactor context of the
 * inbound call, where filters and handlers read them with {@link #current()}. Names are lower case, like HTTP/2
 * header names. See {@code docs/observability.md}.
 */
public final class RpcMetadata {

    /** The request member metadata travels in over stream transports: {@value}. */
    public static final String MEMBER = "$meta";

    private RpcMetadata() {
    }

    /** The metadata of the inbound call running (empty outside one, or when it came without any). */
    public static Mono<Map<String, String>> current() {
        return Mono.deferContextual(ctx -> Mono.just(of(ctx)));
    }

    /** The metadata in {@code context}; empty when there is none. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> of(ContextView context) {
        Object m = context.getOrDefault(RpcMetadata.class, null);
        return m == null ? Map.of() : (Map<String, String>) m;
    }

    /**
     * {@code context} with {@code metadata} added to what it holds already (a call's metadata over its
     * connection's); {@code context} itself when {@code metadata} is empty.
     */
    public static Context with(Context context, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return context;
        }
        Map<String, String> before = of(context);
        if (before.isEmpty()) {
            return context.put(RpcMetadata.class, Map.copyOf(metadata));
        }
        Map<String, String> merged = new HashMap<>(before);
        merged.putAll(metadata);
        return context.put(RpcMetadata.class, Map.copyOf(merged));
    }
}
