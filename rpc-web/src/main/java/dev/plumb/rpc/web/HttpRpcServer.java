package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.internal.ConnectionLimit;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.SslProvider;

/**
 * A standalone JSON-RPC server on reactor-netty: {@code POST} at {@link HttpRpcOptions#path()} (default
 * {@code /rpc}) and, when configured, a duplex WebSocket endpoint.
 *
 * <pre>{@code
 * DisposableServer server = HttpRpcServer.create()
 *     .host("127.0.0.1").port(0)
 *     .router(router)
 *     .authenticator(BearerTokenAuthenticator.of(secret))
 *     .bindNow();
 * }</pre>
 *
 * <p>Immutable: each method returns a new configuration and nothing listens until {@link #bind()}. The status
 * mapping is described in {@code docs/http.md}.
 */
public final class HttpRpcServer {

    private static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    private static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final RpcRouter router;
    private final HttpRpcOptions options;
    private final Consumer<? super SslProvider.SslContextSpec> ssl;
    private final UnaryOperator<RpcPeer.Builder> peerSettings;
    private final Consumer<? super RpcPeer> onConnect;
    private final int maxConnections;
    private final Duration requestReadTimeout;

    private HttpRpcServer(String host, int port, RpcRouter router, HttpRpcOptions options,
                          Consumer<? super SslProvider.SslContextSpec> ssl, UnaryOperator<RpcPeer.Builder> peerSettings,
                          Consumer<? super RpcPeer> onConnect, int maxConnections, Duration requestReadTimeout) {
        this.host = host;
        this.port = port;
        this.router = router;
        this.options = options;
        this.ssl = ssl;
        this.peerSettings = peerSettings;
        this.onConnect = onConnect;
        this.maxConnections = maxConnections;
        this.requestReadTimeout = requestReadTimeout;
    }

    /** A server on {@code 127.0.0.1:8080} with {@link HttpRpcOptions#defaults()} and an empty router. */
    public static HttpRpcServer create() {
        return new HttpRpcServer("127.0.0.1", 8080, RpcRouter.empty(), HttpRpcOptions.defaults(), null,
                UnaryOperator.identity(), peer -> { }, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_READ_TIMEOUT);
    }

    /** The address to listen on; default {@code 127.0.0.1}. */
    public HttpRpcServer host(String newHost) {
        return new HttpRpcServer(Objects.requireNonNull(newHost, "host"), port, router, options,
                ssl, peerSettings, onConnect, maxConnections, requestReadTimeout);
    }

    /** The port to listen on, {@code 0} for any free one; default 8080. */
    public HttpRpcServer port(int newPort) {
        return new HttpRpcServer(host, newPort, router, options,
                ssl, peerSettings, onConnect, maxConnections, requestReadTimeout);
    }

    /** The methods served. */
    public HttpRpcServer router(RpcRouter newRouter) {
        return new HttpRpcServer(host, port, Objects.requireNonNull(newRouter, "router"), options,
                ssl, peerSettings, onConnect, maxConnections, requestReadTimeout);
    }

    /** All HTTP options at once (path, WebSocket path, body limit, authenticator, streaming). */
    public HttpRpcServer options(HttpRpcOptions newOptions) {
        return new HttpRpcServer(host, port, router, Objects.requireNonNull(newOptions, "options"),
                ssl, peerSettings, onConnect, maxConnections, requestReadTimeout);
    }

    /** The endpoint path; default {@value HttpRpcOptions#DEFAULT_PATH}. */
    public HttpRpcServer path(String path) {
        return options(options.path(path));
    }

    /** The largest request body accepted; default 16 MiB. */
    public HttpRpcServer maxBodyBytes(int bytes) {
        return options(options.maxBodyBytes(bytes));
    }

    /** Where handlers of HTTP requests run; default the event loop ({@code Schedulers.immediate()}). */
    public HttpRpcServer handlerScheduler(Scheduler scheduler) {
        return options(options.handlerScheduler(scheduler));
    }

    /** Who may call; default everyone. */
    public HttpRpcServer authenticator(RpcAuthenticator authenticator) {
        return options(options.authenticator(authenticator));
    }

    /** Serves HTTPS, configured through reactor-netty's SSL spec (e.g. {@code spec -> spec.sslContext(ctx)}). */
    public HttpRpcServer ssl(Consumer<? super SslProvider.SslContextSpec> sslSpec) {
        return new HttpRpcServer(host, port, router, options, Objects.requireNonNull(sslSpec, "sslSpec"),
                peerSettings, onConnect, maxConnections, requestReadTimeout);
    }

    /**
     * Called with the {@link RpcPeer} of each WebSocket connection at {@link HttpRpcOptions#webSocketPath()}, so
     * the server can call, notify and stream to that client; the peer's {@code onClose()} tells when it left.
     */
    public HttpRpcServer onConnect(Consumer<? super RpcPeer> callback) {
        return new HttpRpcServer(host, port, router, options, ssl, peerSettings,
                Objects.requireNonNull(callback, "callback"), maxConnections, requestReadTimeout);
    }

    /** Settings for each WebSocket peer (timeout, handler scheduler, limits); default the peer's defaults. */
    public HttpRpcServer peerSettings(UnaryOperator<RpcPeer.Builder> settings) {
        return new HttpRpcServer(host, port, router, options, ssl, Objects.requireNonNull(settings, "settings"),
                onConnect, maxConnections, requestReadTimeout);
    }

    /** The WebSocket endpoint path, {@code null} for none; default {@value HttpRpcOptions#DEFAULT_WEB_SOCKET_PATH}. */
    public HttpRpcServer webSocketPath(String path) {
        return options(options.webSocketPath(path));
    }

    /**
     * The most connections (HTTP and WebSocket) open at once; default 10,000, and
     * {@link Integer#MAX_VALUE} for no limit. A connection over the limit is answered {@code 503} with
     * {@code Retry-After: 1} and a JSON-RPC error -32000 to its first request, whose body is read and dropped, and is
     * then closed (within 10 seconds even if it sends nothing).
     */
    public HttpRpcServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        return new HttpRpcServer(host, port, router, options, ssl, peerSettings, onConnect, max, requestReadTimeout);
    }

    /**
     * How long a request's body may take to arrive, from its headers to its last byte; default 30 seconds. A body
     * still incomplete then is answered {@code 408} and the connection is closed; no handler runs.
     */
    public HttpRpcServer requestReadTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("requestReadTimeout must be positive");
        }
        return new HttpRpcServer(host, port, router, options, ssl, peerSettings, onConnect, maxConnections, timeout);
    }

    /** The options this server will serve with. */
    public HttpRpcOptions options() {
        return options;
    }

    /** The reactor-netty server this configuration describes, for further tuning before binding. */
    public HttpServer toHttpServer() {
        HttpServer server = HttpServer.create().host(host).port(port)
                .requestTimeout(requestReadTimeout)
                .doOnChannelInit(ConnectionLimit.of(maxConnections)::init)
                .route(HttpRpcRoutes.route(router, options, peerSettings, onConnect));
        return ssl == null ? server : server.secure(ssl);
    }

    /** Starts listening; the {@link DisposableServer} tells the bound port and stops the server. */
    public Mono<? extends DisposableServer> bind() {
        return toHttpServer().bind();
    }

    /** Starts listening and waits up to 45 seconds for the socket; for {@code main} methods and tests. */
    public DisposableServer bindNow() {
        return toHttpServer().bindNow(Duration.ofSeconds(45));
    }
}
