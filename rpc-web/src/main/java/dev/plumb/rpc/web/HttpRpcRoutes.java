package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.internal.HttpRpcService;
import dev.plumb.rpc.web.internal.NettyRpcHandler;
import java.util.function.Consumer;
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
 * rather than {@code 404}. The WebSocket endpoint is mounted by {@link HttpRpcServer}, which owns the peers.
 */
public final class HttpRpcRoutes {

    private HttpRpcRoutes() {
    }

    /** Routes that serve {@code router} over HTTP with {@code options}. */
    public static Consumer<HttpServerRoutes> route(RpcRouter router, HttpRpcOptions options) {
        NettyRpcHandler handler = new NettyRpcHandler(new HttpRpcService(router, options));
        String path = options.path();
        return routes -> routes.route(request -> path.equals(request.fullPath()), handler);
    }

    /** Routes that serve {@code router} over HTTP with the default options. */
    public static Consumer<HttpServerRoutes> route(RpcRouter router) {
        return route(router, HttpRpcOptions.defaults());
    }
}
