package dev.plumb.rpc.pipe;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcFilter;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcReply;
import dev.plumb.rpc.RpcRouter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Model Context Protocol dialect (MCP, specification revision {@value #PROTOCOL_VERSION}) over stdio, for
 * clients and servers: what JSON-RPC needs to speak MCP, and nothing of MCP's schema (tools, resources, prompts
 * are the application's records and {@code @RpcService} interfaces). See {@code docs/mcp.md}. An immutable value,
 * applied like {@link CiviPipe}:
 *
 * <pre>{@code
 * // a server (a main method): MCP's routes around the application's, the dialect on stdin/stdout
 * Mcp mcp = Mcp.dialect();
 * RpcRouter router = mcp.serverRoutes(RpcRouter.builder().service(new MyTools())).build();
 * mcp.server(StdioServer.create().router(router)).serve();
 *
 * // a client: the server as a supervised child process, initialised on every (re)start
 * RpcRouter clientRouter = mcp.clientRoutes(RpcRouter.builder().service(new MyClientSide())).build();
 * RunningCoprocess server = Coprocess.of(mcp.transport(PipeTransport.command("my-mcp-server")))
 *     .peer(b -> mcp.peer(b).router(clientRouter))
 *     .initializer(peer -> Mcp.initialize(peer, initializeParams, InitializeResult.class))
 *     .start();
 * Flux<Mcp.Update<CallToolResult>> run = server.peer().flatMapMany(peer ->
 *     Mcp.callWithProgress(peer, "tools/call", callParams, CallToolResult.class));
 * }</pre>
 *
 * <p>What it does, by default (each part documented where it is set):
 * <ul>
 *   <li><b>stdio framing</b>: one JSON-RPC message per line, UTF-8, at most {@link #DEFAULT_MAX_MESSAGE_BYTES}
 *       bytes ({@link #maxMessageBytes}); a client drops (and logs) lines of a child's stdout that are not JSON
 *       ({@link #transport}) instead of answering them;</li>
 *   <li><b>order</b>: inbound messages are handled in arrival order (the peer's default, kept), so progress
 *       notifications reach a caller in the order sent, and before the result;</li>
 *   <li><b>cancellation</b>, both ways: a call whose subscriber cancels, or that times out, sends
 *       {@code notifications/cancelled {"requestId": id}}; a received one stops the handler of that request,
 *       frees its slot, and <em>no response is sent</em> ({@link #peerDialect()});</li>
 *   <li><b>progress</b>: {@link #callWithProgress} puts a fresh {@code _meta.progressToken} into the params and
 *       delivers that call's {@code notifications/progress}, then its result, as one {@code Flux}; a handler
 *       reports progress of the call it serves with {@link #progress(Object, double, Double, String)};</li>
 *   <li><b>{@code ping}</b> is answered {@code {}} on both sides ({@link #serverRoutes}, {@link #clientRoutes});
 *       {@link #ping(RpcPeer)} sends one;</li>
 *   <li><b>initialisation</b>: {@link #initialize} sends {@code initialize}, then {@code notifications/initialized};
 *       a server refuses every request but {@code initialize} and {@code ping} until it has received both,
 *       with error {@value #NOT_INITIALIZED} ({@link #requireInitialization});</li>
 *   <li><b>{@code _meta}</b> is passed through untouched: handlers see the params as sent, results go out as
 *       returned.</li>
 * </ul>
 */
public final class Mcp {

    private static final Logger LOG = LoggerFactory.getLogger(Mcp.class);

    /** The MCP specification revision this dialect is written against, and proposes: {@value}. */
    public static final String PROTOCOL_VERSION = "2025-11-25";

    /**
     * The revisions whose base protocol (lifecycle, cancellation, progress, ping, stdio) is the one implemented
     * here, newest first; {@link #negotiateVersion} picks from them.
     */
    public static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26",
            "2024-11-05");

    /** The request that opens a session: {@value}. */
    public static final String INITIALIZE = "initialize";
    /** The notification a client sends once it has the {@code initialize} result: {@value}. */
    public static final String INITIALIZED = "notifications/initialized";
    /** The liveness check either side may send at any time, answered {@code {}}: {@value}. */
    public static final String PING = "ping";
    /** MCP's cancel notification, params {@code {"requestId": id, "reason"?: text}}: {@value}. */
    public static final String CANCELLED = "notifications/cancelled";
    /** The params member of {@value #CANCELLED} naming the request: {@value}. */
    public static final String CANCELLED_ID_MEMBER = "requestId";
    /** MCP's progress notification, params {@code {progressToken, progress, total?, message?}}: {@value}. */
    public static final String PROGRESS = "notifications/progress";

    /**
     * The error code a server answers a request with before initialisation is complete: {@value}, with the message
     * "Server not initialized". MCP defines no code for it; -32000 is in JSON-RPC's range for implementation-defined
     * server errors and is what the official TypeScript SDK's HTTP transport answers in the same situation
     * (LSP's -32002 ServerNotInitialized is MCP's "Resource not found").
     */
    public static final int NOT_INITIALIZED = -32000;

    /** The default largest message, either way: 16 MiB ({@value} bytes). */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = Framing.DEFAULT_MAX_FRAME_BYTES;

    private static final Mcp DEFAULT = new Mcp(new Settings());
    private static final RawJson EMPTY_RESULT = RawJson.of("{}");
    private static final AtomicLong TOKENS = new AtomicLong();
    /** Progress listeners of calls in flight, by the peer the call went out on and the token's JSON text. */
    private static final Map<ProgressKey, ProgressListener> LISTENERS = new ConcurrentHashMap<>();

    private final Settings settings;

    private Mcp(Settings settings) {
        this.settings = settings;
    }

    /**
     * The dialect with its defaults: initialisation required on the server side, messages up to 16 MiB, and the
     * peer's own defaults otherwise (30 s call timeout, 256 inbound messages handled at once, arrival order).
     */
    public static Mcp dialect() {
        return DEFAULT;
    }

    /**
     * A copy whose server routes refuse requests before initialisation ({@code true}, the default: everything but
     * {@code initialize} and {@code ping} is answered {@value #NOT_INITIALIZED}, other notifications are dropped,
     * until {@code initialize} and then {@code notifications/initialized} have arrived) or let everything through
     * ({@code false}).
     */
    public Mcp requireInitialization(boolean require) {
        return with(s -> s.requireInitialization = require);
    }

    /** A copy whose messages, sent or received, are at most {@code bytes} long. Default: 16 MiB. */
    public Mcp maxMessageBytes(int bytes) {
        if (bytes < 64) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 64");
        }
        return with(s -> s.maxMessageBytes = bytes);
    }

    // ----------------------------------------------------------------------------------------- configuration

    /**
     * The peer's side of MCP: cancellation is {@code notifications/cancelled} with {@code requestId}, both ways,
     * and a request the other side cancelled is not answered (its handler is stopped, its slot freed). Everything
     * else is strict JSON-RPC 2.0.
     */
    public RpcDialect peerDialect() {
        return RpcDialect.strict()
                .cancellation(CANCELLED, CANCELLED_ID_MEMBER)
                .answerCancelledRequests(false);
    }

    /**
     * {@code builder} with the {@link #peerDialect()} and the message size limit. Compose it with your own
     * settings: {@code b -> mcp.peer(b).router(router).timeout(…)}.
     */
    public RpcPeer.Builder peer(RpcPeer.Builder builder) {
        return builder.dialect(peerDialect()).maxOutboundFrameBytes(settings.maxMessageBytes);
    }

    /**
     * {@code transport} (the client's view of an MCP server process) with newline framing up to the message limit,
     * and lines of the child's stdout that do not start with <code>{</code> or <code>[</code> dropped and logged as noise
     * (a server printing a banner) instead of being answered with a parse error; this replaces any inbound filter
     * {@code transport} had. The child's stderr is logged, as MCP intends it.
     */
    public PipeTransport transport(PipeTransport transport) {
        return transport.framing(Framing.newlineDelimited(settings.maxMessageBytes)).inboundFilter(Mcp::looksLikeJson);
    }

    /**
     * A {@link Coprocess} of {@code transport} with this dialect on its transport and peer. Add the client's router
     * and the handshake (peer customizers compose): {@code .peer(b -> b.router(r)).initializer(p -> Mcp.initialize(p,
     * …))}.
     */
    public Coprocess coprocess(PipeTransport transport) {
        return Coprocess.of(transport(transport)).peer(this::peer);
    }

    /**
     * {@code server} (serving this process's stdin/stdout) with newline framing up to the message limit and the
     * {@link #peer} settings, added to the server's peer customizers (add your own after it:
     * {@code mcp.server(s).peer(b -> b.timeout(…))}). Its router should come from {@link #serverRoutes}.
     */
    public StdioServer server(StdioServer server) {
        return server.framing(Framing.newlineDelimited(settings.maxMessageBytes)).peer(this::peer);
    }

    /**
     * Adds MCP's server side to {@code router}: a filter that answers {@code ping}, delivers
     * {@code notifications/progress} to {@link #callWithProgress} callers (a server may ask its client for progress
     * too), enforces initialisation ({@link #requireInitialization}) and takes {@code notifications/initialized}
     * (passed on to the application's handler if it has one). Once a session is initialised the filter steps aside
     * ({@link RpcFilter#skips}): a handler that answers at once is answered at once. Register no {@code ping}
     * yourself.
     */
    public RpcRouter.Builder serverRoutes(RpcRouter.Builder router) {
        return router.filter(new McpFilter(settings.requireInitialization));
    }

    /**
     * Adds MCP's client side to {@code router}: the same filter as {@link #serverRoutes} without the initialisation
     * rule (a client takes the server's requests, e.g. {@code roots/list}, at any time).
     */
    public RpcRouter.Builder clientRoutes(RpcRouter.Builder router) {
        return router.filter(new McpFilter(false));
    }

    // ------------------------------------------------------------------------------------- calling the other side

    /**
     * Opens a session: calls {@code initialize} with {@code params} (the application's {@code InitializeRequest}
     * params: protocol version, capabilities, client info), then sends {@code notifications/initialized}; emits the
     * server's result. Checking the negotiated version is the application's ({@link #PROTOCOL_VERSIONS}). Do not
     * cancel it: MCP forbids cancelling {@code initialize}.
     */
    public static <T> Mono<T> initialize(RpcPeer peer, @Nullable Object params, Class<T> resultType) {
        Objects.requireNonNull(peer, "peer");
        return peer.callRaw(INITIALIZE, params).flatMap(raw -> peer.notify(INITIALIZED, null).then(Mono.fromSupplier(
                () -> raw.isNull() ? null : peer.codec().bind(raw, resultType))));
    }

    /** Sends {@code ping}; completes when the other side answers (within the peer's timeout). */
    public static Mono<Void> ping(RpcPeer peer) {
        return peer.callRaw(PING, null).then();
    }

    /**
     * The version a server answers to a client that asked for {@code requested}: the same, when it is one of
     * {@link #PROTOCOL_VERSIONS}; otherwise the newest, {@link #PROTOCOL_VERSION} (the client then decides whether
     * it can speak it).
     */
    public static String negotiateVersion(String requested) {
        return requested != null && PROTOCOL_VERSIONS.contains(requested) ? requested : PROTOCOL_VERSION;
    }

    /**
     * Calls {@code method} asking for progress: {@code params} (an object: a record, a map, a tree, or null for
     * none) gets {@code _meta.progressToken} set to a token unique to this call (other {@code _meta} members are
     * kept), and the returned {@code Flux} gives the call's {@code notifications/progress} as {@link Progress}
     * updates, in the order sent, then the {@link Result} (bound to {@code resultType}), then completes. Errors of
     * the call are the {@code Flux}'s errors. Cold: each subscription is one call; cancelling it cancels the call
     * (MCP's {@code notifications/cancelled}).
     */
    public static <T> Flux<Update<T>> callWithProgress(RpcPeer peer, String method, @Nullable Object params,
                                                      Class<T> resultType) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(resultType, "resultType");
        return Flux.create(sink -> {
            long token = TOKENS.incrementAndGet();
            ProgressKey key = new ProgressKey(peer, Long.toString(token));
            Object sent;
            try {
                sent = withProgressToken(peer.codec(), params, token);
            } catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            LISTENERS.put(key, (progress, total, message) -> sink.next(new Progress<>(progress, total, message)));
            Disposable call = peer.callRaw(method, sent).subscribe(raw -> {
                LISTENERS.remove(key);
                T value;
                try {
                    value = raw.isNull() ? null : peer.codec().bind(raw, resultType);
                } catch (RuntimeException e) {
                    sink.error(new RpcProtocolException("the result of '" + method + "' does not bind to "
                            + resultType.getSimpleName() + ": " + e.getMessage(), e));
                    return;
                }
                sink.next(new Result<>(value));
                sink.complete();
            }, e -> {
                LISTENERS.remove(key);
                sink.error(e);
            });
            sink.onDispose(() -> {
                LISTENERS.remove(key);
                call.dispose();
            });
        });
    }

    /**
     * Calls {@code method} asking for progress, like {@link #callWithProgress}, giving each progress update to
     * {@code onProgress} (on the thread that read it) and emitting the result (empty for a null result).
     */
    public static <T> Mono<T> call(RpcPeer peer, String method, @Nullable Object params, Class<T> resultType,
                                   Consumer<? super Progress<T>> onProgress) {
        Objects.requireNonNull(onProgress, "onProgress");
        return callWithProgress(peer, method, params, resultType)
                .<T>handle((u, sink) -> {
                    if (u instanceof Progress<T> p) {
                        onProgress.accept(p);
                    } else if (((Result<T>) u).value() != null) {
                        sink.next(((Result<T>) u).value());
                    }
                })
                .singleOrEmpty();
    }

    // ------------------------------------------------------------------------------------ serving the other side

    /**
     * Reports progress of the call being handled to the peer that sent it ({@link RpcPeer#current()}): sends
     * {@code notifications/progress} with {@code progressToken} (the call's {@code _meta.progressToken}, see
     * {@link #progressToken(Object)}), {@code progress}, and {@code total} and {@code message} when not null.
     * Completes without sending anything when the token is null (the caller asked for no progress) or outside a
     * handler. Cold; compose it into the handler's result so that it goes out before the response, as MCP
     * requires: {@code return Mcp.progress(token, 1, 2.0, "half way").then(work())}. MCP also requires
     * {@code progress} to increase from one notification to the next; that is the caller's to keep.
     */
    public static Mono<Void> progress(@Nullable Object progressToken, double progress, @Nullable Double total,
                                      @Nullable String message) {
        if (progressToken == null) {
            return Mono.empty();
        }
        return RpcPeer.current().flatMap(peer -> peer.notify(PROGRESS,
                new ProgressParams(progressToken, progress, total, message)));
    }

    /**
     * The {@code progressToken} member of a request's {@code _meta} ({@code meta} as the handler's params record
     * bound it: a {@link Map}, a Jackson tree, a {@link RawJson}), or null when there is none; what
     * {@link #progress} takes.
     */
    public static @Nullable Object progressToken(@Nullable Object meta) {
        if (meta instanceof Map<?, ?> m) {
            return m.get("progressToken");
        }
        if (meta instanceof JsonNode node) {
            JsonNode t = node.get("progressToken");
            return t == null || t.isNull() ? null : t;
        }
        if (meta instanceof RawJson raw && raw.isObject()) {
            RawJson t = RpcCodec.defaults().members(raw).get("progressToken");
            return t == null || t.isNull() ? null : t;
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ values

    /**
     * What {@link #callWithProgress} emits: {@link Progress} updates, then one {@link Result}.
     *
     * @param <T> the type of the result
     */
    public sealed interface Update<T> permits Progress, Result {
    }

    /**
     * One {@code notifications/progress} of a call.
     *
     * @param progress the progress so far (increasing)
     * @param total    the total, or null when unknown
     * @param message  a human-readable message, or null
     * @param <T>      the type of the call's result
     */
    public record Progress<T>(double progress, @Nullable Double total, @Nullable String message) implements Update<T> {
    }

    /**
     * The result of a call.
     *
     * @param value the result, bound; null when the result was JSON null
     * @param <T>   its type
     */
    public record Result<T>(@Nullable T value) implements Update<T> {
    }

    /** The params of {@code notifications/progress}; absent members are omitted, not null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record ProgressParams(Object progressToken, double progress, @Nullable Double total,
                                  @Nullable String message) {
    }

    private record ProgressKey(RpcPeer peer, String token) {
    }

    /** Takes the progress notifications of one call. */
    @FunctionalInterface
    private interface ProgressListener {
        void onProgress(double progress, Double total, String message);
    }

    // ------------------------------------------------------------------------------------------------ internals

    private static Object withProgressToken(RpcCodec codec, @Nullable Object params, long token) {
        JsonNode tree = params == null ? codec.mapper().createObjectNode()
                : params instanceof RawJson raw ? codec.tree(raw)
                : params instanceof JsonNode node ? node.deepCopy()
                : codec.mapper().valueToTree(params);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("MCP params must be an object, not " + tree.getNodeType());
        }
        JsonNode meta = object.get("_meta");
        ObjectNode m = meta instanceof ObjectNode o ? o : object.putObject("_meta");
        m.put("progressToken", token);
        return object;
    }

    /** A {@code notifications/progress} arrived on {@code peer}: to the listener of its token, if any. */
    private static void onProgress(RpcPeer peer, RpcCall call) {
        RawJson raw = call.params().raw();
        if (peer == null || raw == null || !raw.isObject()) {
            return;
        }
        RpcCodec codec = call.params().codec();
        Map<String, RawJson> m = codec.members(raw);
        RawJson token = m.get("progressToken");
        ProgressListener listener = token == null ? null : LISTENERS.get(new ProgressKey(peer, token.toString()));
        if (listener == null) {
            LOG.debug("{}: progress for an unknown token {} dropped", peer.name(), token);
            return;
        }
        try {
            RawJson total = m.get("total");
            RawJson message = m.get("message");
            listener.onProgress(codec.bind(m.get("progress"), Double.class),
                    total == null || total.isNull() ? null : codec.bind(total, Double.class),
                    message == null || message.isNull() ? null : codec.bind(message, String.class));
        } catch (RuntimeException e) {
            LOG.debug("{}: malformed progress notification dropped: {}", peer.name(), raw, e);
        }
    }

    private static boolean looksLikeJson(byte[] frame) {
        int i = 0;
        while (i < frame.length && (frame[i] == ' ' || frame[i] == '\t')) {
            i++;
        }
        return i < frame.length && (frame[i] == '{' || frame[i] == '[');
    }

    /** Whether a peer's client has initialised the session. */
    private static final class Session {
        final RpcPeer peer;
        volatile boolean initializeSeen;
        volatile boolean ready;

        Session(RpcPeer peer) {
            this.peer = peer;
        }
    }

    /** MCP's routes: ping, progress delivery, the initialisation rule, and the call in the handler's context. */
    private static final class McpFilter implements RpcFilter {
        private static final Mono<RpcReply> PONG = Mono.just(RpcReply.value(EMPTY_RESULT));
        private static final RpcError NOT_INITIALIZED_ERROR = new RpcError(NOT_INITIALIZED, "Server not initialized");

        private final boolean gate;
        private final Map<RpcPeer, Session> sessions = new ConcurrentHashMap<>();
        /** The session looked up last: a stdio server has only one. */
        private volatile Session last;

        McpFilter(boolean gate) {
            this.gate = gate;
        }

        @Override
        public Mono<RpcReply> filter(RpcCall call, Next next) {
            String method = call.method();
            if (PING.equals(method)) {
                return PONG;
            }
            return Mono.deferContextual(ctx -> {
                RpcPeer peer = ctx.getOrDefault(RpcPeer.class, null);
                if (PROGRESS.equals(method)) {
                    onProgress(peer, call);
                    return Mono.empty();
                }
                if (gate && peer != null && !admit(session(peer), call)) {
                    if (call.isNotification()) {
                        LOG.debug("{}: notification '{}' before initialisation dropped", peer.name(), method);
                        return Mono.empty();
                    }
                    return Mono.error(new RpcErrorException(NOT_INITIALIZED_ERROR));
                }
                if (INITIALIZED.equals(method)) {
                    // the application need not handle it
                    return next.proceed(call).onErrorResume(e -> e instanceof RpcErrorException re
                            && re.code() == RpcError.METHOD_NOT_FOUND, e -> Mono.empty());
                }
                return next.proceed(call);
            });
        }

        /** Every call but MCP's own messages, once the session is initialised (or when there is no rule). */
        @Override
        public boolean skips(RpcCall call, ContextView context) {
            String method = call.method();
            if (PING.equals(method) || PROGRESS.equals(method) || INITIALIZED.equals(method)) {
                return false;
            }
            if (!gate) {
                return true;
            }
            RpcPeer peer = context.getOrDefault(RpcPeer.class, null);
            if (peer == null) {
                return true;
            }
            Session s = last;
            if (s == null || s.peer != peer) {
                s = sessions.get(peer);
                if (s == null) {
                    return false;
                }
                last = s;
            }
            return s.ready;
        }

        private Session session(RpcPeer peer) {
            Session s = sessions.get(peer);
            if (s != null) {
                return s;
            }
            Session created = new Session(peer);
            s = sessions.putIfAbsent(peer, created);
            if (s == null) {
                Runnable forget = () -> {
                    sessions.remove(peer);
                    if (last == created) {
                        last = null;
                    }
                };
                peer.onClose().subscribe(null, e -> forget.run(), forget);
                return created;
            }
            return s;
        }

        /** Whether the call may go on: always once initialised; before, only the handshake. */
        private static boolean admit(Session s, RpcCall call) {
            if (s.ready) {
                return true;
            }
            switch (call.method()) {
                case INITIALIZE -> {
                    s.initializeSeen = true;
                    return true;
                }
                case INITIALIZED -> {
                    if (s.initializeSeen) {
                        s.ready = true;
                        return true;
                    }
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private Mcp with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new Mcp(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        boolean requireInitialization = true;
        int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
