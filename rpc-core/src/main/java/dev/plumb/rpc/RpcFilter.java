package dev.plumb.rpc;

import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Middleware around dispatch, OkHttp-interceptor style: logging, auth, metrics, rate limits.
 *
 * <p>A filter gets the call and the rest of the chain; it may pass the call on (possibly changed), answer itself,
 * or fail with an {@link RpcErrorException}. The principal of an authenticated transport is in Reactor's
 * {@code Context}, readable with {@code Mono.deferContextual}.
 */
@FunctionalInterface
public interface RpcFilter {

    /** Filters {@code call}; call {@code next.proceed(call)} to continue. */
    Mono<RpcReply> filter(RpcCall call, Next next);

    /**
     * Whether this filter would only pass {@code call} on unchanged ({@code filter(call, next)} being exactly
     * {@code next.proceed(call)}), given the Reactor context the call runs with (a peer's, holding the
     * {@link RpcPeer}): a hint that lets a peer run the call without this filter, so that a handler answering at
     * once is answered at once, with no operator chain. The router may call {@link #filter} anyway, so the answer
     * must not change what happens. Default {@code false}: always run.
     */
    default boolean skips(RpcCall call, ContextView context) {
        return false;
    }

    /** The rest of the chain. */
    @FunctionalInterface
    interface Next {
        /** Passes {@code call} on to the next filter or the handler. */
        Mono<RpcReply> proceed(RpcCall call);
    }
}
