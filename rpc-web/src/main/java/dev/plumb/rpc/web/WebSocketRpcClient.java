package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcTraceContext;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * Opens a JSON-RPC WebSocket ({@code ws://…/rpc/ws} or {@code wss://…}) and gives a full duplex {@link RpcPeer}:
 * the client calls the server, and the server may call the client's {@link #router(RpcRouter) router}.
 *
 * <pre>{@code
 * RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://127.0.0.1:8080/rpc/ws"))
 *     .token(secret)
 *     .router(clientSideMethods)
 *     .connect()
 *     .block();     // in main or tests; in reactive code, flatMap on it
 * }</pre>
 *
 * <p>Immutable. A refused handshake (e.g. {@code 401}) fails {@link #connect()} with an {@link HttpRpcException}.
 * Disposing the peer closes the WebSocket. A {@code token} query parameter in the URI is also sent as
 * {@code Authorization: Bearer} unless {@link #token(String)} says otherwise.
 */
public final class WebSocketRpcClient {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final URI uri;
    private final HttpClient http;
    private final Map<String, String> headers;
    private final String token;
    private final RpcRouter router;
    private final int maxFrameBytes;
    private final UnaryOperator<RpcPeer.Builder> peerSettings;

    private WebSocketRpcClient(URI uri, HttpClient http, Map<String, String> headers, String token, RpcRouter router,
                               int maxFrameBytes, UnaryOperator<RpcPeer.Builder> peerSettings) {
        this.uri = uri;
        this.http = http;
        this.headers = headers;
        this.token = token;
        this.router = router;
        this.maxFrameBytes = maxFrameBytes;
        this.peerSettings = peerSettings;
    }

    /** A client of the WebSocket endpoint at {@code uri} ({@code ws} or {@code wss}). */
    public static WebSocketRpcClient create(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("a WebSocket client needs a ws or wss URI: " + uri);
        }
        return new WebSocketRpcClient(uri, HttpClient.create(), Map.of(), HttpRpcClient.tokenFromQuery(uri),
                RpcRouter.empty(), HttpRpcOptions.DEFAULT_MAX_BODY_BYTES, UnaryOperator.identity());
    }

    /** Sends {@code Authorization: Bearer <token>} with the handshake; {@code null} sends none. */
    public WebSocketRpcClient token(String newToken) {
        return new WebSocketRpcClient(uri, http, headers, newToken, router, maxFrameBytes, peerSettings);
    }

    /** Sends header {@code name: value} with the handshake. */
    public WebSocketRpcClient header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new WebSocketRpcClient(uri, http, Map.copyOf(h), token, router, maxFrameBytes, peerSettings);
    }

    /** The methods the server may call on this client; default none. */
    public WebSocketRpcClient router(RpcRouter newRouter) {
        return new WebSocketRpcClient(uri, http, headers, token, Objects.requireNonNull(newRouter, "router"),
                maxFrameBytes, peerSettings);
    }

    /** The largest message accepted from the server; default 16 MiB. */
    public WebSocketRpcClient maxFrameBytes(int bytes) {
        return new WebSocketRpcClient(uri, http, headers, token, router, bytes, peerSettings);
    }

    /** Settings for the peer (timeout, handler scheduler, limits); default the peer's defaults. */
    public WebSocketRpcClient peerSettings(UnaryOperator<RpcPeer.Builder> settings) {
        return new WebSocketRpcClient(uri, http, headers, token, router, maxFrameBytes,
                Objects.requireNonNull(settings, "settings"));
    }

    /** The reactor-netty client to connect with (TLS trust, proxy, resources); default {@code HttpClient.create()}. */
    public WebSocketRpcClient httpClient(HttpClient client) {
        return new WebSocketRpcClient(uri, Objects.requireNonNull(client, "client"), headers, token, router,
                maxFrameBytes, peerSettings);
    }

    /**
     * Connects; the peer once the handshake succeeded. Cold: each subscription opens a new WebSocket. A
     * {@link RpcTraceContext} in the subscriber's Reactor context goes with the handshake as {@code traceparent} and
     * {@code tracestate} headers, so the server's handlers of this connection join that trace.
     */
    public Mono<RpcPeer> connect() {
        return Mono.deferContextual(ctx -> connect(RpcTraceContext.of(ctx)));
    }

    private Mono<RpcPeer> connect(RpcTraceContext trace) {
        return Mono.create(sink -> {
            String description = "ws[" + uri.getHost() + ":" + uri.getPort() + "]#" + COUNTER.incrementAndGet();
            var subscription = http
                    .headers(h -> {
                        if (token != null) {
                            h.set("Authorization", "Bearer " + token);
                        }
                        if (trace != null) {
                            h.set(RpcTraceContext.TRACEPARENT, trace.traceparent());
                            if (trace.tracestate() != null) {
                                h.set(RpcTraceContext.TRACESTATE, trace.tracestate());
                            }
                        }
                        headers.forEach(h::set);
                    })
                    .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(maxFrameBytes).build())
                    .uri(uri)
                    .handle((in, out) -> {
                        WebSocketRpcConnection connection = new WebSocketRpcConnection(in, out, maxFrameBytes,
                                description);
                        RpcPeer peer = peerSettings.apply(RpcPeer.builder(connection).router(router)
                                .name(description)).connect();
                        sink.success(peer);
                        return peer.onClose();
                    })
                    .subscribe(null, e -> sink.error(e instanceof WebSocketClientHandshakeException h
                            ? new HttpRpcException(h.response().status().code(), "WebSocket handshake refused")
                            : e));
            sink.onCancel(subscription);
        });
    }
}
