package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcClientCall;
import dev.plumb.rpc.RpcClientFilter;
import java.util.List;
import reactor.core.publisher.Flux;

/** The outgoing filters of a client joined into one {@link RpcClientFilter.Next} ending in the transport. */
public final class ClientFilterChain {

    private ClientFilterChain() {
    }

    /**
     * {@code filters} (the first outermost) in front of {@code transport}; a filter that throws fails its call, and
     * one that {@linkplain RpcClientFilter#skips skips} a call is passed by for it.
     */
    public static RpcClientFilter.Next of(List<RpcClientFilter> filters, RpcClientFilter.Next transport) {
        RpcClientFilter.Next next = transport;
        for (int i = filters.size() - 1; i >= 0; i--) {
            RpcClientFilter f = filters.get(i);
            RpcClientFilter.Next inner = next;
            next = call -> f.skips(call) ? inner.proceed(call) : Flux.defer(() -> {
                Flux<RawJson> out = f.filter(call, inner);
                return out == null ? Flux.error(new NullPointerException("an outgoing filter returned null"))
                        : out;
            });
        }
        return next;
    }

    /** The chain for an empty list: {@code null}, telling the client to send directly. */
    public static RpcClientFilter.Next orNull(List<RpcClientFilter> filters, RpcClientFilter.Next transport) {
        return filters.isEmpty() ? null : of(filters, transport);
    }

    /** Sends {@code call} through {@code chain}. */
    public static Flux<RawJson> run(RpcClientFilter.Next chain, RpcClientCall call) {
        return Flux.defer(() -> chain.proceed(call));
    }
}
