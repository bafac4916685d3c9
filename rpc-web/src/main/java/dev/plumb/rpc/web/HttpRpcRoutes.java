package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.internal.HttpRpcService;
import dev.plumb.rpc.web.internal.NettyRpcHandler;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.web.internal.NettyWebSocketHandler;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The JSON-RPC endpoint as reactor-netty routes, to mount next to an application's own routes:
 *
 * <pre>{@code
 * HttpServer.create().port(8080)
 *     .route(r -> HttpRpcRoutes.route(router, HttpRpcOptions.defaults()).accept(r.get("/health", health)))
 *     .bindNow();
 * }</pre>
 *
 * <p>Every HTTP method at {@link HttpRpcOptions#path()} is routed here so that non-{@code POST}s get {@code 405}
 * rather than {@code 404}. The WebSocket endpoint is mounted only by the variant that is told what to do with
 * each connected peer.
 */
public final class HttpRpcRoutes {

    private HttpRpcRoutes() {
    }

    /** Routes that serve {@code router} over HTTP with {@code options}. */
    public static Consumer<HttpServerRoutes> route(RpcRouter router, HttpRpcOptions options) {
        NettyRpcHandler handler = new NettyRpcHandler(new HttpRpcService(router, options));
        String path = options.path();
        return routes -> routes.route(request -> HttpRpcService.pathMatches(request.uri(), path), handler);
    }

    /**
     * Routes that serve {@code router} over HTTP and, at {@link HttpRpcOptions#webSocketPath()}, over WebSocket:
     * each connection gets an {@link RpcPeer} built by {@code peerSettings} (timeouts, scheduler…) and handed to
     * {@code onConnect}, so the server can call the client too.
     */
    public static Consumer<HttpServerRoutes> route(RpcRouter router, HttpRpcOptions options,
                                                   UnaryOperator<RpcPeer.Builder> peerSettings,
                                                   Consumer<? super RpcPeer> onConnect) {
        Consumer<HttpServerRoutes> http = route(router, options);
        if (options.webSocketPath() == null) {
            return http;
        }
        NettyWebSocketHandler ws = new NettyWebSocketHandler(router, options, peerSettings, onConnect);
        String wsPath = options.webSocketPath();
        return routes -> {
            routes.route(request -> HttpRpcService.pathMatches(request.uri(), wsPath), ws);
            http.accept(routes);
        };
    }

    /** Routes that serve {@code router} over HTTP with the default options. */
    public static Consumer<HttpServerRoutes> route(RpcRouter router) {
        return route(router, HttpRpcOptions.defaults());
    }
}
