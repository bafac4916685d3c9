package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.spring.internal.ExchangeAuthRequest;
import dev.plumb.rpc.spring.internal.JsonRpcErrorResponse;
import dev.plumb.rpc.web.HttpRpcOptions;
import dev.plumb.rpc.web.RpcAuthenticator;
import dev.plumb.rpc.web.RpcPrincipal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The JSON-RPC WebSocket endpoint under Spring WebFlux, with the same behaviour as {@code HttpRpcServer}'s: each
 * connection gets a full duplex {@link RpcPeer} serving the router, built by {@code peerSettings} and handed to
 * {@code onConnect}, so the server can call the client too.
 *
 * <ul>
 *   <li>A request without {@code Upgrade: websocket} gets {@code 426}.</li>
 *   <li>With an {@link HttpRpcOptions#authenticator() authenticator}, the handshake is authenticated before the
 *       upgrade: a refusal is {@code 401} with a JSON-RPC error body and no connection.</li>
 *   <li>Every call the peer runs sees the handshake's Reactor context (so Spring Security's
 *       {@code ReactiveSecurityContextHolder} works in handlers) plus the principal under
 *       {@link RpcPrincipal#CONTEXT_KEY}.</li>
 *   <li>Messages up to {@link HttpRpcOptions#maxBodyBytes()} are accepted (on Reactor Netty the server's own frame
 *       limit, 64 KiB by default in WebFlux, is raised to it); a larger one closes the connection with 1009.</li>
 * </ul>
 *
 * <p>A Boot application gets it from {@link PlumbRpcAutoConfiguration}. Without Boot, register
 * {@link #handlerMapping()} as a bean of a WebFlux application.
 */
public final class RpcWebSocketHandler implements WebHandler {

    /** The order of {@link #handlerMapping()}: {@value}, ahead of router functions (-1) and controllers (0). */
    public static final int MAPPING_ORDER = -2;

    private static final Logger LOG = LoggerFactory.getLogger(RpcWebSocketHandler.class);
    private static final AtomicLong COUNTER = new AtomicLong();

    private final RpcRouter router;
    private final HttpRpcOptions options;
    private final UnaryOperator<RpcPeer.Builder> peerSettings;
    private final Consumer<? super RpcPeer> onConnect;
    private final WebSocketService nettyService;
    private volatile WebSocketService otherService;

    /**
     * Serves {@code router} at {@link HttpRpcOptions#webSocketPath()} (which must not be {@code null}) with the limit
     * and authenticator of {@code options}; each peer is built by {@code peerSettings} (default: the peer's
     * defaults) and given to {@code onConnect}.
     */
    public RpcWebSocketHandler(RpcRouter router, HttpRpcOptions options, UnaryOperator<RpcPeer.Builder> peerSettings,
                               Consumer<? super RpcPeer> onConnect) {
        this.router = Objects.requireNonNull(router, "router");
        this.options = Objects.requireNonNull(options, "options");
        if (options.webSocketPath() == null) {
            throw new IllegalArgumentException("HttpRpcOptions.webSocketPath is null: there is no endpoint to serve");
        }
        this.peerSettings = Objects.requireNonNull(peerSettings, "peerSettings");
        this.onConnect = Objects.requireNonNull(onConnect, "onConnect");
        int limit = options.maxBodyBytes();
        HandshakeWebSocketService netty = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(limit)));
        netty.start();
        this.nettyService = netty;
    }

    /** Serves {@code router} with {@code options}, default peers and no {@code onConnect} callback. */
    public RpcWebSocketHandler(RpcRouter router, HttpRpcOptions options) {
        this(router, options, UnaryOperator.identity(), peer -> { });
    }

    /** The options served with. */
    public HttpRpcOptions options() {
        return options;
    }

    /**
     * A handler mapping that sends {@link HttpRpcOptions#webSocketPath()} here, at order {@value #MAPPING_ORDER};
     * register it as a bean (WebFlux's {@code SimpleHandlerAdapter} runs a {@link WebHandler}).
     */
    public HandlerMapping handlerMapping() {
        return new SimpleUrlHandlerMapping(Map.of(options.webSocketPath(), this), MAPPING_ORDER);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        String upgrade = exchange.getRequest().getHeaders().getFirst(HttpHeaders.UPGRADE);
        if (!"websocket".equalsIgnoreCase(upgrade)) {
            exchange.getResponse().getHeaders().set(HttpHeaders.UPGRADE, "websocket");
            return JsonRpcErrorResponse.text(exchange.getResponse(), HttpStatus.UPGRADE_REQUIRED,
                    "this endpoint speaks JSON-RPC over WebSocket; send an Upgrade request\n");
        }
        RpcAuthenticator authenticator = options.authenticator();
        if (authenticator == null) {
            return upgrade(exchange, null);
        }
        ExchangeAuthRequest request = new ExchangeAuthRequest(exchange.getRequest());
        if (request.hasAmbiguousCredentials()) {
            return JsonRpcErrorResponse.ambiguousCredentials(exchange.getResponse());
        }
        return Mono.defer(() -> authenticator.authenticate(request))
                .onErrorResume(e -> {
                    LOG.warn("authenticator failed; refusing the WebSocket handshake", e);
                    return Mono.empty();
                })
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(principal -> principal.isPresent() ? upgrade(exchange, principal.get())
                        : JsonRpcErrorResponse.unauthorized(exchange.getResponse()));
    }

    /**
     * Upgrades; the peer's calls run with the handshake's context, {@code principal} if not null, and the
     * handshake's headers as their {@link RpcMetadata}.
     */
    private Mono<Void> upgrade(ServerWebExchange exchange, RpcPrincipal principal) {
        return Mono.deferContextual(handshake -> {
            HttpHeaders headers = exchange.getRequest().getHeaders();
            Context base = principal == null ? Context.of(handshake)
                    : Context.of(handshake).put(RpcPrincipal.CONTEXT_KEY, principal);
            ContextView context = RpcMetadata.with(base, metadataOf(headers));
            return serviceFor(exchange).handleRequest(exchange, session -> connect(session, context));
        });
    }

    /** The handshake's headers as call metadata: names in lower case, credentials left out (as rpc-web does). */
    private static Map<String, String> metadataOf(HttpHeaders headers) {
        Map<String, String> m = new java.util.HashMap<>();
        headers.toSingleValueMap().forEach((name, value) -> {
            String key = name.toLowerCase(java.util.Locale.ROOT);
            if (!key.equals("authorization") && !key.equals("proxy-authorization") && !key.equals("cookie")) {
                m.putIfAbsent(key, value);
            }
        });
        return Map.copyOf(m);
    }

    private Mono<Void> connect(WebSocketSession session, ContextView context) {
        String description = "ws[" + session.getHandshakeInfo().getRemoteAddress() + "]#"
                + COUNTER.incrementAndGet();
        WebSocketSessionRpcConnection connection = new WebSocketSessionRpcConnection(session,
                options.maxBodyBytes(), description);
        RpcPeer peer = peerSettings.apply(RpcPeer.builder(connection).router(router).name(description)
                .wireTap(options.wireTap()).context(context)).connect();
        try {
            onConnect.accept(peer);
        } catch (RuntimeException e) {
            LOG.warn("{}: the onConnect callback failed", description, e);
        }
        return peer.onClose();
    }

    /** Reactor Netty's upgrade with Plumb's frame limit, or the server's own upgrade on other servers. */
    private WebSocketService serviceFor(ServerWebExchange exchange) {
        try {
            Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
            if (nativeResponse instanceof HttpServerResponse) {
                return nettyService;
            }
        } catch (IllegalArgumentException notAdapted) {
            // a test or mock server: fall through
        }
        WebSocketService other = otherService;
        if (other == null) {
            HandshakeWebSocketService created = new HandshakeWebSocketService();
            created.start();
            otherService = other = created;
        }
        return other;
    }
}
