package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcWireTap;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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

    private static final HttpRpcOptions DEFAULTS = new HttpRpcOptions(new Settings());

    private final Settings settings;

    private HttpRpcOptions(Settings settings) {
        this.settings = settings;
    }

    /** The defaults listed above. */
    public static HttpRpcOptions defaults() {
        return DEFAULTS;
    }

    /** The path {@code POST} requests are answered at. */
    public String path() {
        return settings.path;
    }

    /** The WebSocket endpoint path, or {@code null} when off. */
    public @Nullable String webSocketPath() {
        return settings.webSocketPath;
    }

    /** The largest request body accepted, in bytes. */
    public int maxBodyBytes() {
        return settings.maxBodyBytes;
    }

    /** The authenticator, or {@code null} when everyone may call. */
    public @Nullable RpcAuthenticator authenticator() {
        return settings.authenticator;
    }

    /** Whether {@code Flux} methods may answer as a newline-delimited JSON stream. */
    public boolean streaming() {
        return settings.streaming;
    }

    /** Where handlers of HTTP requests run. */
    public Scheduler handlerScheduler() {
        return settings.handlerScheduler;
    }

    /**
     * These options with handlers of HTTP requests run on {@code scheduler}. Default: {@link Schedulers#immediate()},
     * the event-loop thread that read the request.
     */
    public HttpRpcOptions handlerScheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return with(s -> s.handlerScheduler = scheduler);
    }

    /** These options with another endpoint path (must start with {@code /}). Default: {@value #DEFAULT_PATH}. */
    public HttpRpcOptions path(String newPath) {
        String checked = checkPath(Objects.requireNonNull(newPath, "path"));
        return with(s -> s.path = checked);
    }

    /**
     * These options with another WebSocket path, or {@code null} to turn the WebSocket endpoint off. Default:
     * {@value #DEFAULT_WEB_SOCKET_PATH}.
     */
    public HttpRpcOptions webSocketPath(@Nullable String newPath) {
        String checked = newPath == null ? null : checkPath(newPath);
        return with(s -> s.webSocketPath = checked);
    }

    /** These options with another body limit (at least 2 bytes). Default: 16 MiB. */
    public HttpRpcOptions maxBodyBytes(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 2");
        }
        return with(s -> s.maxBodyBytes = bytes);
    }

    /** These options with an authenticator ({@code null}: everyone may call). Default: {@code null}. */
    public HttpRpcOptions authenticator(@Nullable RpcAuthenticator newAuthenticator) {
        return with(s -> s.authenticator = newAuthenticator);
    }

    /** These options with streamed answers allowed or not. Default: {@code true}. */
    public HttpRpcOptions streaming(boolean enabled) {
        return with(s -> s.streaming = enabled);
    }

    /** The wire tap HTTP bodies and WebSocket frames are shown to, or {@code null}. */
    public @Nullable RpcWireTap wireTap() {
        return settings.wireTap;
    }

    /**
     * These options with every request and reply body, and every WebSocket frame, shown to {@code tap} (e.g.
     * {@link RpcWireTap#log()}); {@code null} for none. Default: {@code null}, none.
     */
    public HttpRpcOptions wireTap(@Nullable RpcWireTap tap) {
        return with(s -> s.wireTap = tap);
    }

    private HttpRpcOptions with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new HttpRpcOptions(copy);
    }

    private static String checkPath(String p) {
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with '/': " + p);
        }
        return p;
    }

    @Override
    public String toString() {
        Settings c = settings;
        return "HttpRpcOptions[path=" + c.path + ", webSocketPath=" + c.webSocketPath + ", maxBodyBytes="
                + c.maxBodyBytes + ", authenticator="
                + (c.authenticator == null ? "none" : c.authenticator.getClass().getSimpleName())
                + ", streaming=" + c.streaming + ", handlerScheduler=" + c.handlerScheduler + "]";
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        String path = DEFAULT_PATH;
        @Nullable String webSocketPath = DEFAULT_WEB_SOCKET_PATH;
        int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        @Nullable RpcAuthenticator authenticator;
        boolean streaming = true;
        Scheduler handlerScheduler = Schedulers.immediate();
        @Nullable RpcWireTap wireTap;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
