package dev.plumb.rpc;

import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Middleware around dispatch, OkHttp-interceptor style: logging, auth, metrics, rate limits.
 *
 * <p>A filter gets the call and the rest of the chain; it may pass the call on (possibly changed), answer itself,
 * or fail with an {@link RpcErrorException}. The principal of an authenticated transport, and the call's
 * {@link RpcMetadata}, are in Reactor's {@code Context}, readable with {@code Mono.deferContextual}. The mirror for
 * outgoing calls is {@link RpcClientFilter}.
 *
 * <p><b>Failure contract</b> (as OkHttp states its interceptors'):
 * <ul>
 *   <li>Filters run in the order added ({@link RpcRouter.Builder#filter}), the first outermost: it sees the call
 *       first and the reply last.</li>
 *   <li>The handler runs when the {@code Mono} returned by {@link Next#proceed} is subscribed, once per
 *       subscription: a filter that subscribes twice runs the handler twice, and only the reply the filter returns
 *       is sent.</li>
 *   <li>A filter that never subscribes to {@code next.proceed(...)} keeps the handler from running; what it returns
 *       is the answer. An empty {@code Mono} answers a {@code null} result.</li>
 *   <li>An error, returned or thrown, reaches the filters outside it; if none handles it, the call is answered with
 *       the error of an {@link RpcErrorException}, or -32603 Internal error for anything else (details only in the
 *       log). A filter that throws is seen by the filter outside it as a throw from {@code next.proceed}, so a filter
 *       that must see every failure wraps its call in {@code Mono.defer}.</li>
 *   <li>A notification goes through the filters too; its reply is dropped and its errors are only logged.</li>
 *   <li>When the caller cancels ({@code $/cancelRequest}) or the connection closes, the chain's subscription is
 *       cancelled.</li>
 * </ul>
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
