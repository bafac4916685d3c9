package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.internal.ConnectionLimit;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
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

    private final Settings settings;

    private HttpRpcServer(Settings settings) {
        this.settings = settings;
    }

    /** A server on {@code 127.0.0.1:8080} with {@link HttpRpcOptions#defaults()} and an empty router. */
    public static HttpRpcServer create() {
        return new HttpRpcServer(new Settings());
    }

    /** The address to listen on. Default: {@code 127.0.0.1}. */
    public HttpRpcServer host(String newHost) {
        Objects.requireNonNull(newHost, "host");
        return with(s -> s.host = newHost);
    }

    /** The port to listen on, {@code 0} for any free one. Default: 8080. */
    public HttpRpcServer port(int newPort) {
        return with(s -> s.port = newPort);
    }

    /** The methods served. Default: {@link RpcRouter#empty()}, every call answers -32601. */
    public HttpRpcServer router(RpcRouter newRouter) {
        Objects.requireNonNull(newRouter, "router");
        return with(s -> s.router = newRouter);
    }

    /**
     * All HTTP options at once (path, WebSocket path, body limit, authenticator, streaming, handler scheduler).
     * Default: {@link HttpRpcOptions#defaults()}.
     */
    public HttpRpcServer options(HttpRpcOptions newOptions) {
        Objects.requireNonNull(newOptions, "options");
        return with(s -> s.options = newOptions);
    }

    /** The endpoint path (one of the {@link #options() options}). Default: {@value HttpRpcOptions#DEFAULT_PATH}. */
    public HttpRpcServer path(String path) {
        return options(settings.options.path(path));
    }

    /** The largest request body accepted (one of the {@link #options() options}). Default: 16 MiB. */
    public HttpRpcServer maxBodyBytes(int bytes) {
        return options(settings.options.maxBodyBytes(bytes));
    }

    /**
     * Where handlers of HTTP requests run (one of the {@link #options() options}). Default: the event loop
     * ({@code Schedulers.immediate()}).
     */
    public HttpRpcServer handlerScheduler(Scheduler scheduler) {
        return options(settings.options.handlerScheduler(scheduler));
    }

    /** Who may call (one of the {@link #options() options}); {@code null}: everyone. Default: everyone. */
    public HttpRpcServer authenticator(@Nullable RpcAuthenticator authenticator) {
        return options(settings.options.authenticator(authenticator));
    }

    /**
     * Serves HTTPS, configured through reactor-netty's SSL spec (e.g. {@code spec -> spec.sslContext(ctx)}).
     * Default: none, plain HTTP.
     */
    public HttpRpcServer ssl(Consumer<? super SslProvider.SslContextSpec> sslSpec) {
        Objects.requireNonNull(sslSpec, "sslSpec");
        return with(s -> s.ssl = sslSpec);
    }

    /**
     * Called with the {@link RpcPeer} of each WebSocket connection at {@link HttpRpcOptions#webSocketPath()}, so
     * the server can call, notify and stream to that client; the peer's {@code onClose()} tells when it left.
     * Default: nothing.
     */
    public HttpRpcServer onConnect(Consumer<? super RpcPeer> callback) {
        Objects.requireNonNull(callback, "callback");
        return with(s -> s.onConnect = callback);
    }

    /**
     * Also applies {@code settings} to each WebSocket peer (timeout, handler scheduler, limits); calls compose, in
     * the order given. Default: none, the peer's defaults.
     */
    public HttpRpcServer peerSettings(UnaryOperator<RpcPeer.Builder> settings) {
        Objects.requireNonNull(settings, "settings");
        return with(s -> {
            UnaryOperator<RpcPeer.Builder> before = s.peerSettings;
            s.peerSettings = b -> settings.apply(before.apply(b));
        });
    }

    /**
     * The WebSocket endpoint path, {@code null} for none (one of the {@link #options() options}). Default:
     * {@value HttpRpcOptions#DEFAULT_WEB_SOCKET_PATH}.
     */
    public HttpRpcServer webSocketPath(@Nullable String path) {
        return options(settings.options.webSocketPath(path));
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
        return with(s -> s.maxConnections = max);
    }

    /**
     * How long a request's body may take to arrive, from its headers to its last byte; default 30 seconds. A body
     * still incomplete then is answered {@code 408} and the connection is closed; no handler runs.
     */
    public HttpRpcServer requestReadTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("requestReadTimeout must be positive");
        }
        return with(s -> s.requestReadTimeout = timeout);
    }

    /** The options this server will serve with. */
    public HttpRpcOptions options() {
        return settings.options;
    }

    /** The reactor-netty server this configuration describes, for further tuning before binding. */
    public HttpServer toHttpServer() {
        Settings c = settings;
        HttpServer server = HttpServer.create().host(c.host).port(c.port)
                .requestTimeout(c.requestReadTimeout)
                .doOnChannelInit(ConnectionLimit.of(c.maxConnections)::init)
                .route(HttpRpcRoutes.route(c.router, c.options, c.peerSettings, c.onConnect));
        Consumer<? super SslProvider.SslContextSpec> ssl = c.ssl;
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

    private HttpRpcServer with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new HttpRpcServer(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        String host = "127.0.0.1";
        int port = 8080;
        RpcRouter router = RpcRouter.empty();
        HttpRpcOptions options = HttpRpcOptions.defaults();
        @Nullable Consumer<? super SslProvider.SslContextSpec> ssl;
        UnaryOperator<RpcPeer.Builder> peerSettings = UnaryOperator.identity();
        Consumer<? super RpcPeer> onConnect = peer -> { };
        int maxConnections = 10_000;
        Duration requestReadTimeout = Duration.ofSeconds(30);

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
