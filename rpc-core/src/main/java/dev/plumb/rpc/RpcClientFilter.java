package dev.plumb.rpc;

import dev.plumb.rpc.internal.ClientFilterChain;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * Middleware around outgoing calls, the mirror of the inbound {@link RpcFilter}: metadata and headers, retries,
 * metrics, logging. Installed with {@link RpcPeer.Builder#filter} and {@code HttpRpcClient.filter}, so it also
 * wraps the typed proxies of {@link RpcClient#proxy}.
 *
 * <p>A filter gets the call and the rest of the chain. It may pass the call on (possibly changed, e.g.
 * {@link RpcClientCall#withMetadata}), answer itself without sending anything, or change what comes back. The chain
 * gives the result undecoded: one {@link RawJson} for a {@link RpcClientCall.Kind#CALL}, none for a
 * {@link RpcClientCall.Kind#NOTIFICATION}, the items for a {@link RpcClientCall.Kind#STREAM}. The Reactor context of
 * the caller's subscriber (for example a trace, or the {@link RpcMetadata} of the inbound call a handler makes a
 * nested call for) is readable with {@code Flux.deferContextual}.
 *
 * <p><b>Failure contract</b> (as OkHttp states its interceptors'):
 * <ul>
 *   <li>Filters run in the order added, the first outermost: it sees the call first and the result last.</li>
 *   <li>Nothing is sent until the {@code Flux} returned by {@link Next#proceed} is subscribed; each subscription
 *       sends the call again, as a new request with a new id (how a retry filter works: {@code .retry(2)}). Each
 *       attempt has the client's timeout.</li>
 *   <li>A filter that never subscribes to {@code next.proceed(...)} sends nothing; what it returns is the result.</li>
 *   <li>A filter that throws fails the call with that exception, as if it had returned {@code Flux.error}; the
 *       filters outside it see the error.</li>
 *   <li>Cancelling the caller cancels the chain; a call already sent is then cancelled on the wire as usual.</li>
 *   <li>For a {@code CALL} the first item is the result and the chain is cancelled after it; an empty chain is a
 *       {@code null} result.</li>
 * </ul>
 * Batches ({@code RpcPeer.batch()}, {@code HttpRpcClient.batch()}) are sent as one frame and are not filtered.
 */
@FunctionalInterface
public interface RpcClientFilter {

    /** Filters {@code call}; return {@code next.proceed(call)} (or a changed call's) to send it. */
    Flux<RawJson> filter(RpcClientCall call, Next next);

    /**
     * Whether this filter would only pass {@code call} on unchanged ({@code filter(call, next)} being exactly
     * {@code next.proceed(call)}): a hint that lets a peer send a call that every filter skips without the chain,
     * as if it had no filters (an observation filter on a registry that records nothing), and lets any chain
     * ({@link #chain}, so {@code HttpRpcClient}'s too) pass a skipping filter by. A peer asks when the call's
     * {@code Mono} is made, a chain when the call reaches the filter; either may run {@link #filter} anyway, so the
     * answer must not change what happens. Default {@code false}: always run.
     */
    default boolean skips(RpcClientCall call) {
        return false;
    }

    /**
     * {@code filters} (the first outermost) in front of {@code transport}, as one {@link Next}: for a client of
     * another transport to run its calls through its filters, with the contract above (a filter that throws or
     * returns {@code null} fails its call). With no filters, {@code transport} itself.
     */
    static Next chain(List<RpcClientFilter> filters, Next transport) {
        return ClientFilterChain.of(List.copyOf(filters), Objects.requireNonNull(transport, "transport"));
    }

    /** The rest of the chain, ending in the transport. */
    @FunctionalInterface
    interface Next {
        /** Passes {@code call} on to the next filter, or sends it when this is the last. Cold. */
        Flux<RawJson> proceed(RpcClientCall call);
    }
}
