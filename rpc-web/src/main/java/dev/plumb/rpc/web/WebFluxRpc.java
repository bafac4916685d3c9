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
 * <p>This class serves HTTP only. Every {@link HttpRpcOptions} field is honoured except
 * {@link HttpRpcOptions#webSocketPath()}, which must be {@code null}: options that ask for a WebSocket endpoint are
 * refused with an {@link IllegalArgumentException} rather than ignored. Under WebFlux the WebSocket endpoint is
 * {@code dev.plumb.rpc.spring.RpcWebSocketHandler} in {@code plumb-spring-boot-starter} (which a Boot application
 * gets configured at {@code plumb.rpc.websocket.path}).
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
        return routerFunction(router, HttpRpcOptions.defaults().path(path).webSocketPath(null));
    }

    /** As {@link #routerFunction(String, RpcRouter)}, letting only requests {@code authenticator} accepts in. */
    public static RouterFunction<ServerResponse> routerFunction(String path, RpcRouter router,
                                                                RpcAuthenticator authenticator) {
        return routerFunction(router, HttpRpcOptions.defaults().path(path).webSocketPath(null)
                .authenticator(authenticator));
    }

    /**
     * A router function at {@link HttpRpcOptions#path()} with all of {@code options}.
     *
     * @throws IllegalArgumentException if {@code options.webSocketPath()} is not {@code null} (as in
     *                                  {@link HttpRpcOptions#defaults()}): set {@code webSocketPath(null)}
     */
    public static RouterFunction<ServerResponse> routerFunction(RpcRouter router, HttpRpcOptions options) {
        return RouterFunctions.route(RequestPredicates.path(options.path()), handlerFunction(router, options));
    }

    /**
     * The handler alone, for mounting under a route of the application's choosing: {@link HttpRpcOptions#path()} is
     * not used, since the application's route decides where it answers.
     *
     * @throws IllegalArgumentException if {@code options.webSocketPath()} is not {@code null}
     */
    public static HandlerFunction<ServerResponse> handlerFunction(RpcRouter router, HttpRpcOptions options) {
        if (options.webSocketPath() != null) {
            throw new IllegalArgumentException("HttpRpcOptions.webSocketPath is " + options.webSocketPath()
                    + ", but WebFluxRpc serves HTTP only and would ignore it: set webSocketPath(null), and serve the"
                    + " WebSocket endpoint with dev.plumb.rpc.spring.RpcWebSocketHandler (plumb-spring-boot-starter,"
                    + " property plumb.rpc.websocket.path)");
        }
        return new WebFluxRpcHandler(new HttpRpcService(router, options));
    }
}
