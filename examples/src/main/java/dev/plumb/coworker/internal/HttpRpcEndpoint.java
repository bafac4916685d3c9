package dev.plumb.coworker.internal;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcRouter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Serves a router as JSON-RPC over HTTP ({@code POST /rpc}) on reactor-netty, with an optional bearer token
 * (header {@code Authorization: Bearer T} or query {@code ?token=T}, compared in constant time).
 *
 * <p>A thin stand-in for {@code rpc-web}'s {@code HttpRpcServer}: 200 with the reply, 204 when there is nothing
 * to answer, 401 with a JSON-RPC error body when the token is wrong, 405 for other methods.
 */
public final class HttpRpcEndpoint {

    private HttpRpcEndpoint() {
    }

    /** Binds {@code router} on {@code host:port} (port 0 picks a free one); {@code token} may be null. */
    public static DisposableServer bind(RpcRouter router, String host, int port, String token) {
        byte[] unauthorized = router.codec().encodeError(RpcId.NULL,
                new RpcError(RpcError.UNAUTHORIZED, "Unauthorized"));
        return HttpServer.create().host(host).port(port)
                .route(routes -> routes.post("/rpc", (req, res) -> {
                    if (token != null && !authorized(req, token)) {
                        return res.status(HttpResponseStatus.UNAUTHORIZED)
                                .header("Content-Type", "application/json")
                                .sendByteArray(Mono.just(unauthorized)).then();
                    }
                    return req.receive().aggregate().asByteArray()
                            .flatMap(router::respond)
                            .flatMap(reply -> res.header("Content-Type", "application/json")
                                    .sendByteArray(Mono.just(reply)).then())
                            .switchIfEmpty(Mono.defer(() -> res.status(HttpResponseStatus.NO_CONTENT).send().then()));
                }).route(r -> true, (req, res) -> res.status(HttpResponseStatus.METHOD_NOT_ALLOWED).send()))
                .bindNow();
    }

    private static boolean authorized(HttpServerRequest req, String token) {
        String given = null;
        String auth = req.requestHeaders().get("Authorization");
        if (auth != null && auth.startsWith("Bearer ")) {
            given = auth.substring(7).trim();
        } else {
            List<String> q = new QueryStringDecoder(req.uri()).parameters().get("token");
            if (q != null && !q.isEmpty()) {
                given = q.get(0);
            }
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
