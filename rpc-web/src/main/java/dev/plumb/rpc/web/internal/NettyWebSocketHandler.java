package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.HttpRpcOptions;
import dev.plumb.rpc.web.RpcAuthenticator;
import dev.plumb.rpc.web.RpcPrincipal;
import dev.plumb.rpc.web.WebSocketRpcConnection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/** Upgrades authenticated requests at the WebSocket path and gives each connection a full {@link RpcPeer}. */
public final class NettyWebSocketHandler
        implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    private static final Logger LOG = LoggerFactory.getLogger(NettyWebSocketHandler.class);
    private static final AtomicLong COUNTER = new AtomicLong();

    private final RpcRouter router;
    private final HttpRpcOptions options;
    private final UnaryOperator<RpcPeer.Builder> peerSettings;
    private final Consumer<? super RpcPeer> onConnect;
    private final WebsocketServerSpec spec;

    /** Serves {@code router} to each WebSocket peer built by {@code peerSettings} and given to {@code onConnect}. */
    public NettyWebSocketHandler(RpcRouter router, HttpRpcOptions options, UnaryOperator<RpcPeer.Builder> peerSettings,
                                 Consumer<? super RpcPeer> onConnect) {
        this.router = router;
        this.options = options;
        this.peerSettings = peerSettings;
        this.onConnect = onConnect;
        this.spec = WebsocketServerSpec.builder().maxFramePayloadLength(options.maxBodyBytes()).build();
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        if (!"websocket".equalsIgnoreCase(request.requestHeaders().get("Upgrade"))) {
            return NettyRpcHandler.send(response, HttpReply.of(426, "text/plain; charset=utf-8",
                    "this endpoint speaks JSON-RPC over WebSocket; send an Upgrade request\n".getBytes())
                    .withHeader("Upgrade", "websocket"));
        }
        RpcAuthenticator authenticator = options.authenticator();
        if (authenticator == null) {
            return upgrade(request, response, null);
        }
        NettyAuthRequest auth = new NettyAuthRequest(request.requestHeaders(), request.uri(), request.remoteAddress());
        if (auth.hasAmbiguousCredentials()) {
            return NettyRpcHandler.send(response, HttpRpcService.ambiguousCredentials());
        }
        return HttpRpcService.authenticate(authenticator, auth)
                .map(principal -> Optional.of(Context.of(RpcPrincipal.CONTEXT_KEY, principal)))
                .defaultIfEmpty(Optional.empty())
                .flatMap(context -> context.isPresent() ? upgrade(request, response, context.get())
                        : NettyRpcHandler.send(response, HttpRpcService.unauthorized()));
    }

    /** Upgrades and connects a peer whose inbound calls run with {@code context} (the principal), if not null. */
    private Mono<Void> upgrade(HttpServerRequest request, HttpServerResponse response, ContextView context) {
        String description = "ws[" + request.remoteAddress() + "]#" + COUNTER.incrementAndGet();
        return response.sendWebsocket((in, out) -> {
            WebSocketRpcConnection connection = new WebSocketRpcConnection(in, out, options.maxBodyBytes(),
                    description);
            RpcPeer.Builder builder = peerSettings.apply(RpcPeer.builder(connection).router(router).name(description)
                    .wireTap(options.wireTap()));
            // the handshake's headers are the metadata of every call on this connection (a call's own add to them)
            Context callContext = RpcMetadata.with(context == null ? Context.empty() : Context.of(context),
                    Map.copyOf(HeaderMetadata.of(request.requestHeaders())));
            RpcPeer peer = builder.context(callContext).connect();
            try {
                onConnect.accept(peer);
            } catch (RuntimeException e) {
                LOG.warn("{}: the onConnect callback failed", description, e);
            }
            return peer.onClose();
        }, spec);
    }
}
