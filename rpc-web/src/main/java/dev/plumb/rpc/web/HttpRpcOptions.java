package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcWireTap;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * How a router is served over HTTP, in one immutable place with every default written down.
 *
 * <ul>
 *   <li>{@link #path()}: where {@code POST} requests are answered; default {@value #DEFAULT_PATH}.</li>
 *   <li>{@link #webSocketPath()}: the duplex WebSocket endpoint; default {@value #DEFAULT_WEB_SOCKET_PATH};
 *       {@code null} turns it off.</li>
 *   <li>{@link #maxBodyBytes()}: the largest request body (and WebSocket message) accepted; larger ones get
 *       {@code 413}; default 16 MiB.</li>
 *   <li>{@link #authenticator()}: who may call; default {@code null}, everyone.</li>
 *   <li>{@link #streaming()}: whether a {@code Flux} method answers a client that accepts
 *       {@value #NDJSON} with a newline-delimited stream; default {@code true}.</li>
 *   <li>{@link #handlerScheduler()}: where handlers of HTTP requests run; default {@link Schedulers#immediate()},
 *       the event-loop thread that read the request (fastest; handlers must not block). Choose
 *       {@link Schedulers#boundedElastic()} for handlers that block.</li>
 *   <li>{@link #wireTap()}: sees every request and reply body and every WebSocket frame; default {@code null},
 *       none.</li>
 * </ul>
 */
public final class HttpRpcOptions {

    /** The default endpoint path: {@value}. */
    public static final String DEFAULT_PATH = "/rpc";
    /** The default WebSocket endpoint path: {@value}. */
    public static final String DEFAULT_WEB_SOCKET_PATH = "/rpc/ws";
    /** The default maximum request body: 16 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
    /** The media type of a streamed answer: {@value}. */
    public static final String NDJSON = "application/x-ndjson";

    private static final HttpRpcOptions DEFAULTS = new HttpRpcOptions(DEFAULT_PATH, DEFAULT_WEB_SOCKET_PATH,
            DEFAULT_MAX_BODY_BYTES, null, true, Schedulers.immediate(), null);

    private final String path;
    private final String webSocketPath;
    private final int maxBodyBytes;
    private final RpcAuthenticator authenticator;
    private final boolean streaming;
    private final Scheduler handlerScheduler;
    private final RpcWireTap wireTap;

    private HttpRpcOptions(String path, String webSocketPath, int maxBodyBytes, RpcAuthenticator authenticator,
                           boolean streaming, Scheduler handlerScheduler, RpcWireTap wireTap) {
        this.wireTap = wireTap;
        this.path = path;
        this.webSocketPath = webSocketPath;
        this.maxBodyBytes = maxBodyBytes;
        this.authenticator = authenticator;
        this.streaming = streaming;
        this.handlerScheduler = handlerScheduler;
    }

    /** The defaults listed above. */
    public static HttpRpcOptions defaults() {
        return DEFAULTS;
    }

    /** The path {@code POST} requests are answered at. */
    public String path() {
        return path;
    }

    /** The WebSocket endpoint path, or {@code null} when off. */
    public String webSocketPath() {
        return webSocketPath;
    }

    /** The largest request body accepted, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The authenticator, or {@code null} when everyone may call. */
    public RpcAuthenticator authenticator() {
        return authenticator;
    }

    /** Whether {@code Flux} methods may answer as a newline-delimited JSON stream. */
    public boolean streaming() {
        return streaming;
    }

    /** Where handlers of HTTP requests run. */
    public Scheduler handlerScheduler() {
        return handlerScheduler;
    }

    /** These options with handlers of HTTP requests run on {@code scheduler}. */
    public HttpRpcOptions handlerScheduler(Scheduler scheduler) {
        return new HttpRpcOptions(path, webSocketPath, maxBodyBytes, authenticator, streaming,
                Objects.requireNonNull(scheduler, "scheduler"), wireTap);
    }

    /** These options with another endpoint path (must start with {@code /}). */
    public HttpRpcOptions path(String newPath) {
        return new HttpRpcOptions(checkPath(Objects.requireNonNull(newPath, "path")), webSocketPath, maxBodyBytes,
                authenticator, streaming, handlerScheduler, wireTap);
    }

    /** These options with another WebSocket path, or {@code null} to turn the WebSocket endpoint off. */
    public HttpRpcOptions webSocketPath(String newPath) {
        return new HttpRpcOptions(path, newPath == null ? null : checkPath(newPath), maxBodyBytes, authenticator,
                streaming, handlerScheduler, wireTap);
    }

    /** These options with another body limit (at least 2 bytes). */
    public HttpRpcOptions maxBodyBytes(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 2");
        }
        return new HttpRpcOptions(path, webSocketPath, bytes, authenticator, streaming, handlerScheduler, wireTap);
    }

    /** These options with an authenticator ({@code null}: everyone may call). */
    public HttpRpcOptions authenticator(RpcAuthenticator newAuthenticator) {
        return new HttpRpcOptions(path, webSocketPath, maxBodyBytes, newAuthenticator, streaming, handlerScheduler,
                wireTap);
    }

    /** These options with streamed answers allowed or not. */
    public HttpRpcOptions streaming(boolean enabled) {
        return new HttpRpcOptions(path, webSocketPath, maxBodyBytes, authenticator, enabled, handlerScheduler, wireTap);
    }

    /** The wire tap HTTP bodies and WebSocket frames are shown to, or {@code null}. */
    public RpcWireTap wireTap() {
        return wireTap;
    }

    /**
     * These options with every request and reply body, and every WebSocket frame, shown to {@code tap} (e.g.
     * {@link RpcWireTap#log()}); {@code null} for none.
     */
    public HttpRpcOptions wireTap(RpcWireTap tap) {
        return new HttpRpcOptions(path, webSocketPath, maxBodyBytes, authenticator, streaming, handlerScheduler, tap);
    }

    private static String checkPath(String p) {
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with '/': " + p);
        }
        return p;
    }

    @Override
    public String toString() {
        return "HttpRpcOptions[path=" + path + ", webSocketPath=" + webSocketPath + ", maxBodyBytes=" + maxBodyBytes
                + ", authenticator=" + (authenticator == null ? "none" : authenticator.getClass().getSimpleName())
                + ", streaming=" + streaming + ", handlerScheduler=" + handlerScheduler + "]";
    }
}
