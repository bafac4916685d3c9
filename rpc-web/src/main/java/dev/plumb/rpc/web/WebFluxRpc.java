package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.internal.HttpRpcService;
import dev.plumb.rpc.web.internal.WebFluxRpcHandler;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Mounts a JSON-RPC router in a Spring WebFlux application, with the same status mapping, streaming and
 * authentication as {@link HttpRpcServer} (spring-webflux is an optional dependency of this module).
 *
 * <pre>{@code
 * @Bean
 * RouterFunction<ServerResponse> jsonRpc(RpcRouter router) {
 *     return WebFluxRpc.routerFunction("/rpc", router, BearerTokenAuthenticator.of(secret));
 * }
 * }</pre>
 */
public final class WebFluxRpc {

    private WebFluxRpc() {
    }

    /** A router function answering every HTTP method at {@code path} (non-{@code POST}s get {@code 405}). */
    public static RouterFunction<ServerResponse> routerFunction(String path, RpcRouter router) {
        return routerFunction(router, HttpRpcOptions.defaults().path(path));
    }

    /** As {@link #routerFunction(String, RpcRouter)}, letting only requests {@code authenticator} accepts in. */
    public static RouterFunction<ServerResponse> routerFunction(String path, RpcRouter router,
                                                                RpcAuthenticator authenticator) {
        return routerFunction(router, HttpRpcOptions.defaults().path(path).authenticator(authenticator));
    }

    /** A router function at {@link HttpRpcOptions#path()} with all of {@code options}. */
    public static RouterFunction<ServerResponse> routerFunction(RpcRouter router, HttpRpcOptions options) {
        return RouterFunctions.route(RequestPredicates.path(options.path()), handlerFunction(router, options));
    }

    /** The handler alone, for mounting under a route of the application's choosing. */
    public static HandlerFunction<ServerResponse> handlerFunction(RpcRouter router, HttpRpcOptions options) {
        return new WebFluxRpcHandler(new HttpRpcService(router, options));
    }
}
