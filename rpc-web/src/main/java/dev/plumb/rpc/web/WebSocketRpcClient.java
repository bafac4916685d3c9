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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
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
 * Disposing the peer closes the WebSocket. Credentials go once, in one place: a {@code token} query parameter in
 * the URI is sent as it is, unless {@link #token(String)} is set; then the token goes as
 * {@code Authorization: Bearer} and the parameter is taken out of the URI.
 */
public final class WebSocketRpcClient {

    private static final AtomicLong COUNTER = new AtomicLong();

    private final Settings settings;

    private WebSocketRpcClient(Settings settings) {
        this.settings = settings;
    }

    /** A client of the WebSocket endpoint at {@code uri} ({@code ws} or {@code wss}). */
    public static WebSocketRpcClient create(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("a WebSocket client needs a ws or wss URI: " + uri);
        }
        return new WebSocketRpcClient(new Settings(uri, null));
    }

    /**
     * Sends {@code Authorization: Bearer <token>} with the handshake, and no {@code token} query parameter;
     * {@code null} sends none. Default: none (credentials are what the URI gives).
     */
    public WebSocketRpcClient token(@Nullable String newToken) {
        return with(s -> s.token = newToken);
    }

    /** Also sends header {@code name: value} with the handshake. Default: no extra headers. */
    public WebSocketRpcClient header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with(s -> {
            Map<String, String> h = new LinkedHashMap<>(s.headers);
            h.put(name, value);
            s.headers = Map.copyOf(h);
        });
    }

    /** The methods the server may call on this client. Default: none, every call answers -32601. */
    public WebSocketRpcClient router(RpcRouter newRouter) {
        Objects.requireNonNull(newRouter, "router");
        return with(s -> s.router = newRouter);
    }

    /** The largest message accepted from the server. Default: 16 MiB. */
    public WebSocketRpcClient maxFrameBytes(int bytes) {
        return with(s -> s.maxFrameBytes = bytes);
    }

    /**
     * Also applies {@code settings} to the peer (timeout, handler scheduler, limits); calls compose, in the order
     * given. Default: none, the peer's defaults.
     */
    public WebSocketRpcClient peerSettings(UnaryOperator<RpcPeer.Builder> settings) {
        Objects.requireNonNull(settings, "settings");
        return with(s -> {
            UnaryOperator<RpcPeer.Builder> before = s.peerSettings;
            s.peerSettings = b -> settings.apply(before.apply(b));
        });
    }

    /**
     * The reactor-netty client to connect with (TLS trust, proxy, resources). Default: {@code HttpClient.create()}.
     */
    public WebSocketRpcClient httpClient(HttpClient client) {
        Objects.requireNonNull(client, "client");
        return with(s -> s.http = client);
    }

    /**
     * Connects; the peer once the handshake succeeded. Cold: each subscription opens a new WebSocket. A
     * {@link RpcTraceContext} in the subscriber's Reactor context goes with the handshake as {@code traceparent} and
     * {@code tracestate} headers, so the server's handlers of this connection join that trace.
     */
    public Mono<RpcPeer> connect() {
        return Mono.deferContextual(ctx -> connect(RpcTraceContext.of(ctx)));
    }

    private Mono<RpcPeer> connect(@Nullable RpcTraceContext trace) {
        Settings c = settings;
        URI uri = c.uri;
        String token = c.token;
        int maxFrameBytes = c.maxFrameBytes;
        return Mono.create(sink -> {
            String description = "ws[" + uri.getHost() + ":" + uri.getPort() + "]#" + COUNTER.incrementAndGet();
            var subscription = c.http
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
                        c.headers.forEach(h::set);
                    })
                    .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(maxFrameBytes).build())
                    .uri(token == null ? uri : HttpRpcClient.withoutToken(uri))
                    .handle((in, out) -> {
                        WebSocketRpcConnection connection = new WebSocketRpcConnection(in, out, maxFrameBytes,
                                description);
                        RpcPeer peer = c.peerSettings.apply(RpcPeer.builder(connection).router(c.router)
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

    private WebSocketRpcClient with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new WebSocketRpcClient(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        final URI uri;
        HttpClient http = HttpClient.create();
        Map<String, String> headers = Map.of();
        @Nullable String token;
        RpcRouter router = RpcRouter.empty();
        int maxFrameBytes = HttpRpcOptions.DEFAULT_MAX_BODY_BYTES;
        UnaryOperator<RpcPeer.Builder> peerSettings = UnaryOperator.identity();

        Settings(URI uri, @Nullable String token) {
            this.uri = uri;
            this.token = token;
        }

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
