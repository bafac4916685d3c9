package dev.plumb.rpc;

import dev.plumb.rpc.internal.ServiceProxy;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

/**
 * The calling side of any Plumb connection, as typed proxies need it: {@link RpcPeer} (in-memory, pipes, sockets,
 * WebSocket) and {@code HttpRpcClient} (rpc-web) both are one. Every method is cold: nothing is sent until the
 * result is subscribed.
 */
public interface RpcClient {

    /** Calls {@code method}; the result undecoded. */
    Mono<RawJson> callRaw(String method, @Nullable Object params);

    /** Calls a method whose result is a stream, binding each item to {@code itemType}. */
    <T> Flux<T> stream(String method, @Nullable Object params, JavaType itemType);

    /** Sends a notification when subscribed. */
    Mono<Void> notify(String method, @Nullable Object params);

    /** The codec params are written and results bound with. */
    RpcCodec codec();

    /**
     * A client of the {@link RpcService} interface {@code api}: each call of a method sends the JSON-RPC method it
     * describes over this connection. A bad signature fails here, with a message naming the method.
     *
     * <pre>{@code
     * Calculator calc = peer.proxy(Calculator.class);
     * Mono<Integer> diff = calc.subtract(42, 23);
     * }</pre>
     */
    default <T> T proxy(Class<T> api) {
        return ServiceProxy.create(api, this);
    }

    /**
     * Whether {@code candidate} is a client proxy made by {@link #proxy(Class)} (and not an implementation of the
     * service): how a container that serves every {@link RpcService} bean leaves the clients out.
     */
    static boolean isProxy(@Nullable Object candidate) {
        return candidate != null && java.lang.reflect.Proxy.isProxyClass(candidate.getClass())
                && java.lang.reflect.Proxy.getInvocationHandler(candidate) instanceof ServiceProxy;
    }
}
