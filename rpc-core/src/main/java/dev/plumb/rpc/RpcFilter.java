package dev.plumb.rpc;

import reactor.core.publisher.Mono;

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

    /** The rest of the chain. */
    @FunctionalInterface
    interface Next {
        /** Passes {@code call} on to the next filter or the handler. */
        Mono<RpcReply> proceed(RpcCall call);
    }
}
