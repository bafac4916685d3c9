package dev.plumb.rpc;

import dev.plumb.rpc.internal.ClientFilterChain;
import dev.plumb.rpc.internal.InboundCredit;
import dev.plumb.rpc.internal.Outbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * One end of a JSON-RPC connection. Symmetric: either side calls, notifies and streams, and answers the other
 * side's calls with its {@link RpcRouter}.
 *
 * <pre>{@code
 * RpcPeer peer = RpcPeer.builder(connection).router(router).timeout(Duration.ofSeconds(5)).connect();
 * Mono<Integer> diff = peer.call("subtract", List.of(42, 23), Integer.class);
 * Flux<Tick> ticks = peer.stream("ticks", Map.of("n", 1000), Tick.class);
 * }</pre>
 *
 * <p><b>Calls are cold</b>: nothing is sent until the returned {@code Mono}/{@code Flux} is subscribed. Each call
 * has a timeout ({@link RpcTimeoutException}); cancelling a call's subscriber sends {@code $/cancelRequest} and frees
 * its slot; when the connection closes, every pending call fails at once with {@link RpcConnectionClosedException}.
 *
 * <p><b>Order.</b> Inbound messages start their handlers in the order they arrived, on the thread that read them
 * (a handler's work is ordered up to its first asynchronous boundary), notifications included. Handlers must
 * therefore not block; those that do, or that burn CPU, opt into a scheduler per method
 * ({@link RpcRouter.Builder#runOn}) or per peer ({@link Builder#handlerScheduler}), giving up order for them.
 *
 * <p><b>Flow control.</b> At most {@link Builder#maxInboundInFlight} inbound messages are handled at once (a
 * request counts until its reply is taken by the transport); past that, the connection is not read, so a peer that
 * does not read its replies is pushed back by the transport instead of growing memory. Outbound frames wait in a
 * bounded queue ({@link Builder#maxQueuedOutboundFrames}, {@link Builder#maxQueuedOutboundBytes}); when it is full,
 * local calls and notifications wait for room (asynchronously, under their timeout). See
 * {@code docs/flow-control.md}.
 */
public final class RpcPeer implements RpcClient, Disposable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcPeer.class);

    /** How long a graceful close waits for the transport to write the last replies: 10 seconds. */
    public static final Duration GRACEFUL_SEND_TIMEOUT = Duration.ofSeconds(10);

    /** The default per-call timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The default largest number of inbound messages handled at once per connection: 256. */
    public static final int DEFAULT_MAX_INBOUND_IN_FLIGHT = 256;

    /** The default number of outbound frames queued before local senders wait: 1024. */
    public static final int DEFAULT_MAX_QUEUED_OUTBOUND_FRAMES = 1024;

    /** The default number of outbound bytes queued before local senders wait: 16 MiB. */
    public static final long DEFAULT_MAX_QUEUED_OUTBOUND_BYTES = 16L << 20;

    private final RpcConnection connection;
    private final RpcCodec codec;
    private final Duration timeout;
    private final String name;
    private final int maxInboundInFlight;
    private final Outbox outbox;
    private final OutboundCalls calls;
    private final InboundDispatcher inbound;
    /** The outgoing filters in front of {@link #calls}, the first outermost. */
    private final List<RpcClientFilter> filters;
    private final AtomicReference<RpcConnectionClosedException> closed = new AtomicReference<>();
    private volatile RpcConnectionClosedException inputEnded;
    private final Sinks.Empty<Void> closedSignal = Sinks.empty();
    private final Sinks.Empty<Void> sendDone = Sinks.empty();

    private RpcPeer(Settings b) {
        this.name = b.name != null ? b.name : b.connection.description();
        this.connection = b.wireTap == null ? b.connection : RpcWireTap.tap(b.connection, name, b.wireTap);
        this.codec = b.codec != null ? b.codec : b.router.codec();
        this.timeout = b.timeout;
        this.maxInboundInFlight = b.maxInboundInFlight;
        this.outbox = new Outbox(b.maxQueuedOutboundFrames, b.maxQueuedOutboundBytes);
        this.calls = new OutboundCalls(name, codec, outbox, timeout, b.maxOutboundFrameBytes, b.maxConcurrentCalls,
                b.dialect, this::refusal);
        this.inbound = new InboundDispatcher(name, b.router, codec, b.dialect, outbox, calls, b.handlerScheduler,
                Context.of(b.context).put(RpcPeer.class, this), () -> closeWith(null));
        this.filters = List.copyOf(b.filters);
    }

    private static final JavaType RAW = RpcCodec.defaults().mapper().constructType(RawJson.class);

    /** Runs {@code call} through the outgoing filters, ending in {@code transport}. */
    /** Whether an outgoing call needs no filter: there are none, or every one {@linkplain RpcClientFilter#skips skips} it. */
    private boolean unfiltered(String method, @Nullable Object params, RpcClientCall.Kind kind) {
        if (filters.isEmpty()) {
            return true;
        }
        RpcClientCall call = new RpcClientCall(method, params, kind);
        for (RpcClientFilter f : filters) {
            if (!f.skips(call)) {
                return false;
            }
        }
        return true;
    }

    private Flux<RawJson> filtered(RpcClientCall call, RpcClientFilter.Next transport) {
        return ClientFilterChain.run(ClientFilterChain.of(filters, transport), call);
    }

    /**
     * The peer whose inbound call is running, for a handler that calls or notifies its caller back (a server
     * publishing diagnostics, asking its client for configuration). Read from the handler's Reactor context, so it
     * is there for whatever the handler returns: {@code RpcPeer.current().flatMap(client -> client.notify(…))}.
     * Empty outside an inbound call of a peer (for example under HTTP, which has no peer).
     */
    public static Mono<RpcPeer> current() {
        return Mono.deferContextual(ctx -> Mono.justOrEmpty(ctx.getOrEmpty(RpcPeer.class)));
    }

    /** A builder for a peer on {@code connection}. */
    public static Builder builder(RpcConnection connection) {
        return new Builder(new Settings(Objects.requireNonNull(connection, "connection")));
    }

    private RpcPeer start() {
        connection.send(outbox).subscribe(null, e -> {
            sendDone.tryEmitEmpty();
            closeWith(e);
        }, sendDone::tryEmitEmpty);
        InboundCredit reader = inbound.reader(maxInboundInFlight, this::closeWith, this::onInboundEnd);
        connection.receive().subscribe(reader);
        connection.onClose().subscribe(null, this::closeWith, () -> closeWith(null));
        return this;
    }

    /** Why a call cannot be made now, or null. */
    private RpcConnectionClosedException refusal() {
        RpcConnectionClosedException c = closed.get();
        return c != null ? c : inputEnded;
    }

    // ------------------------------------------------------------------------------------------- outbound calls

    /** Calls {@code method}; the result as a Jackson tree ({@code NullNode} for a null result). Cold. */
    public Mono<JsonNode> call(String method, @Nullable Object params) {
        return callReading(method, params, codec::tree);
    }

    /** Calls {@code method} and binds the result to {@code type}; a {@code null} result completes empty. Cold. */
    public <T> Mono<T> call(String method, @Nullable Object params, Class<T> type) {
        return callReading(method, params, raw -> {
            if (raw.isNull()) {
                return null;
            }
            try {
                return codec.bind(raw, type);
            } catch (RuntimeException e) {
                throw new RpcProtocolException("result of '" + method + "' does not bind to "
                        + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        });
    }

    /** A call with the peer's timeout whose result {@code read} turns into the caller's value ({@code null}: empty). */
    private <T> Mono<T> callReading(String method, @Nullable Object params, Function<RawJson, @Nullable T> read) {
        if (unfiltered(method, params, RpcClientCall.Kind.CALL)) {
            return calls.call(method, params, timeout, null, Map.of(), false, read);
        }
        return callRaw(method, params, timeout).handle((raw, sink) -> {
            T value;
            try {
                value = read.apply(raw);
            } catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            if (value != null) {
                sink.next(value);
            }
        });
    }

    /** Calls {@code method} and keeps the result raw, with the peer's default timeout. Cold. */
    @Override
    public Mono<RawJson> callRaw(String method, @Nullable Object params) {
        return callRaw(method, params, timeout);
    }

    /**
     * Calls {@code method} and keeps the result raw, with its own timeout ({@link Duration#ZERO}: none), which
     * also bounds any wait for room in the outbound queue. Cold.
     */
    public Mono<RawJson> callRaw(String method, @Nullable Object params, Duration callTimeout) {
        return sendCall(method, params, callTimeout, null);
    }

    private Mono<RawJson> sendCall(String method, @Nullable Object params, Duration callTimeout,
                                   @Nullable Consumer<? super RpcId> onSent) {
        if (unfiltered(method, params, RpcClientCall.Kind.CALL)) {
            return calls.call(method, params, callTimeout, onSent, Map.of(), false);
        }
        return filtered(new RpcClientCall(method, params, RpcClientCall.Kind.CALL),
                c -> calls.call(c.method(), c.params(), callTimeout, onSent, c.metadata(), true).flux()).next();
    }

    /**
     * Calls {@code method} like {@link #callRaw(String, Object, Duration)}, and tells {@code onSent} the request's
     * id as its frame goes to the transport, before any answer can arrive (on each subscription, as each sends a new request): for logs
     * that correlate with the other side's, or to refer to the call in a protocol's own messages. Cold.
     */
    public Mono<RawJson> callRaw(String method, @Nullable Object params, Duration callTimeout,
                                 Consumer<? super RpcId> onSent) {
        return sendCall(method, params, callTimeout, Objects.requireNonNull(onSent, "onSent"));
    }

    /**
     * Sends a notification. <b>Cold: nothing is sent until the returned {@code Mono} is subscribed</b> (for
     * example {@code peer.notify("log", msg).subscribe()}); it completes once the frame is queued for sending,
     * after waiting for room when the outbound queue is full (at most the peer's timeout).
     */
    @Override
    public Mono<Void> notify(String method, @Nullable Object params) {
        if (unfiltered(method, params, RpcClientCall.Kind.NOTIFICATION)) {
            return calls.notify(method, params, Map.of());
        }
        return filtered(new RpcClientCall(method, params, RpcClientCall.Kind.NOTIFICATION),
                c -> calls.notify(c.method(), c.params(), c.metadata()).thenMany(Flux.empty())).then();
    }

    /**
     * Streams {@code method}'s items with backpressure carried over the wire: the remote producer never sends more
     * items than this subscriber requested. Cancelling stops the remote producer. Streams have no timeout. Cold.
     */
    public <T> Flux<T> stream(String method, @Nullable Object params, Class<T> type) {
        return stream(method, params, codec.mapper().constructType(type));
    }

    /** Streams {@code method}'s items bound to a generic type (e.g. {@code List<Item>}); as above. Cold. */
    @Override
    public <T> Flux<T> stream(String method, @Nullable Object params, JavaType itemType) {
        if (unfiltered(method, params, RpcClientCall.Kind.STREAM)) {
            return calls.stream(method, params, itemType, Map.of());
        }
        return filtered(new RpcClientCall(method, params, RpcClientCall.Kind.STREAM),
                c -> calls.stream(c.method(), c.params(), RAW, c.metadata()))
                .map(raw -> bindItem(raw, method, itemType));
    }

    @SuppressWarnings("unchecked")
    private <T> T bindItem(RawJson raw, String method, JavaType type) {
        if (type.getRawClass() == RawJson.class) {
            return (T) raw;
        }
        T item;
        try {
            item = codec.bind(raw, type);
        } catch (RuntimeException e) {
            throw new RpcProtocolException("an item of '" + method + "' does not bind to "
                    + type.getRawClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (item == null) {
            throw new RpcProtocolException("'" + method + "' streamed a null item");
        }
        return item;
    }

    /** Starts a client-side batch: add calls and notifications, then {@link RpcClientBatch#send()}. */
    public RpcClientBatch batch() {
        return new RpcClientBatch(this);
    }

    Mono<RawJson> registerBatchCall(RpcId id, List<byte[]> frames, String method, @Nullable Object params) {
        return calls.registerBatchCall(id, frames, method, params);
    }

    RpcId nextId() {
        return calls.nextId();
    }

    RpcCodec codecForBatch() {
        return codec;
    }

    Mono<Void> sendBatch(byte[] frame) {
        return calls.sendBatch(frame);
    }

    // --------------------------------------------------------------------------------------------------- close

    /**
     * The other side stopped sending (end of input, a half-closed stream): our calls can no longer be answered
     * and fail now, while calls it made are finished and answered before the peer closes.
     */
    private void onInboundEnd() {
        RpcConnectionClosedException ex = new RpcConnectionClosedException(name + ": the other side has stopped sending");
        inputEnded = ex;
        calls.failAll(ex);
        inbound.onEnd();
    }

    private void closeWith(Throwable cause) {
        RpcConnectionClosedException ex;
        if (cause instanceof RpcConnectionClosedException c) {
            ex = c;
        } else if (cause == null) {
            ex = new RpcConnectionClosedException(name + ": connection closed");
        } else {
            ex = new RpcConnectionClosedException(name + ": connection broken: " + cause.getMessage(), cause);
        }
        if (!closed.compareAndSet(null, ex)) {
            return;
        }
        LOG.debug("{}: closed ({} calls pending)", name, calls.pendingCount(), cause);
        calls.failAll(ex);
        boolean graceful = cause == null && inputEnded != null;
        inbound.closeAll();
        outbox.complete(ex);
        if (graceful) {
            // a graceful end: let the transport write the last replies before it is closed
            sendDone.asMono().timeout(GRACEFUL_SEND_TIMEOUT, Mono.empty()).subscribe(null, null, () -> {
                connection.dispose();
                closedSignal.tryEmitEmpty();
            });
        } else {
            connection.dispose();
            closedSignal.tryEmitEmpty();
        }
    }

    /** How many outbound calls and streams are waiting for their response. */
    public int pendingCount() {
        return calls.pendingCount();
    }

    /**
     * How many inbound messages are being handled: handlers running, replies not yet taken by the transport,
     * streams open. At most {@link Builder#maxInboundInFlight}.
     */
    public int runningCount() {
        return inbound.inFlight();
    }

    /**
     * The stream credit of this peer: how many items the other side has asked for, over all the streams this peer
     * produces, and not received yet (so how many may be sent without waiting). Approximate while streams run.
     */
    public long streamCredit() {
        return inbound.streamCredit();
    }

    /** How many outbound frames wait for the transport to take them. */
    public int queuedOutboundFrames() {
        return outbox.queuedFrames();
    }

    /** The connection this peer speaks over. */
    public RpcConnection connection() {
        return connection;
    }

    /** The codec of this peer. */
    @Override
    public RpcCodec codec() {
        return codec;
    }

    /** This peer's name, for logs. */
    public String name() {
        return name;
    }

    /** Completes when the peer has closed; pending calls have been failed by then. */
    public Mono<Void> onClose() {
        return closedSignal.asMono();
    }

    /** Closes the peer and its connection; pending calls fail with {@link RpcConnectionClosedException}. */
    @Override
    public void dispose() {
        closeWith(new RpcConnectionClosedException(name + ": peer closed"));
    }

    @Override
    public boolean isDisposed() {
        return closed.get() != null;
    }

    // ------------------------------------------------------------------------------------------------- builder

    /**
     * Configures and connects an {@link RpcPeer}; every setting has a default. Immutable: each method returns a new
     * builder, so use the value it returns ({@code b = b.timeout(t)}); one builder may connect several peers.
     */
    public static final class Builder {
        private final Settings settings;

        private Builder(Settings settings) {
            this.settings = settings;
        }

        /** Answers the other side's calls; default: none (every call answers -32601). */
        public Builder router(RpcRouter router) {
            Objects.requireNonNull(router, "router");
            return with(s -> s.router = router);
        }

        /** The codec; default the router's codec. */
        public Builder codec(RpcCodec codec) {
            return with(s -> s.codec = Objects.requireNonNull(codec, "codec"));
        }

        /** Per-call timeout; default 30 s. {@link Duration#ZERO} disables it. */
        public Builder timeout(Duration timeout) {
            return with(s -> s.timeout = Objects.requireNonNull(timeout, "timeout"));
        }

        /**
         * Runs every inbound handler on {@code scheduler}, for peers whose handlers block or burn CPU (e.g.
         * {@link Schedulers#boundedElastic()}). <b>Order is then lost</b>: consecutive messages start on different
         * threads, so a message may be handled before the one sent just before it. Default: none; handlers start
         * in arrival order on the thread that read the message. {@link Schedulers#immediate()} means the default.
         * To offload only some methods and keep order for the rest, use {@link RpcRouter.Builder#runOn}.
         */
        public Builder handlerScheduler(Scheduler scheduler) {
            Objects.requireNonNull(scheduler, "scheduler");
            Scheduler chosen = scheduler == Schedulers.immediate() ? null : scheduler;
            return with(s -> s.handlerScheduler = chosen);
        }

        /**
         * At most this many inbound messages are handled at once: requests until their reply has been taken by
         * the transport, notifications until their handler finishes, streams until they end. Past it, the
         * connection is read no further until one finishes (the other side's writes are pushed back). A handler
         * that waits for a call back to the same peer needs a free unit for the response to be read. Default
         * {@value RpcPeer#DEFAULT_MAX_INBOUND_IN_FLIGHT}.
         */
        public Builder maxInboundInFlight(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxInboundInFlight must be at least 1");
            }
            return with(s -> s.maxInboundInFlight = n);
        }

        /**
         * Local calls, notifications and batches wait (asynchronously, within their timeout) while this many
         * outbound frames are queued for the transport. Replies and control frames are not held back: their number
         * is bounded by {@link #maxInboundInFlight} and by the calls in flight. Default
         * {@value RpcPeer#DEFAULT_MAX_QUEUED_OUTBOUND_FRAMES}.
         */
        public Builder maxQueuedOutboundFrames(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxQueuedOutboundFrames must be at least 1");
            }
            return with(s -> s.maxQueuedOutboundFrames = n);
        }

        /**
         * Local calls, notifications and batches wait while this many outbound bytes are queued (a single larger
         * frame still goes when the queue is below the bound). Default 16 MiB
         * ({@value RpcPeer#DEFAULT_MAX_QUEUED_OUTBOUND_BYTES} bytes).
         */
        public Builder maxQueuedOutboundBytes(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxQueuedOutboundBytes must be at least 1");
            }
            return with(s -> s.maxQueuedOutboundBytes = n);
        }

        /** How the peer treats what the other side does outside the specification; default {@link RpcDialect#strict()}. */
        public Builder dialect(RpcDialect dialect) {
            return with(s -> s.dialect = Objects.requireNonNull(dialect, "dialect"));
        }

        /** A name for logs; {@code null} means the default, the connection's description. */
        public Builder name(@Nullable String name) {
            return with(s -> s.name = name);
        }

        /**
         * At most this many outbound calls in flight; later calls wait, in order, without blocking anyone.
         * Default 0: unlimited. {@code 1} gives the one-request-at-a-time mode some servers need.
         */
        public Builder maxConcurrentCalls(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxConcurrentCalls must be >= 0");
            }
            return with(s -> s.maxConcurrentCalls = n);
        }

        /** Never sends a frame larger than this; such a call fails without sending. Default unlimited. */
        public Builder maxOutboundFrameBytes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxOutboundFrameBytes must be positive");
            }
            return with(s -> s.maxOutboundFrameBytes = n);
        }

        /**
         * A Reactor context every inbound call runs with, e.g. the principal a connection authenticated as
         * (handlers read it with {@code Mono.deferContextual}). Default empty.
         */
        public Builder context(ContextView context) {
            return with(s -> s.context = Objects.requireNonNull(context, "context"));
        }

        /**
         * Adds an outgoing filter around this peer's calls, notifications and streams (and so its typed proxies);
         * filters run in the order added, the first outermost. Default: none, and then calls go straight to the
         * connection. The contract is in {@link RpcClientFilter}.
         */
        public Builder filter(RpcClientFilter filter) {
            Objects.requireNonNull(filter, "filter");
            return with(s -> {
                List<RpcClientFilter> all = new ArrayList<>(s.filters);
                all.add(filter);
                s.filters = List.copyOf(all);
            });
        }

        /**
         * Shows every frame this peer sends and receives to {@code tap}, e.g. {@link RpcWireTap#log()}; {@code null}
         * for none. Default: none.
         */
        public Builder wireTap(@Nullable RpcWireTap tap) {
            return with(s -> s.wireTap = tap);
        }

        /** Creates the peer and starts reading from the connection. */
        public RpcPeer connect() {
            return new RpcPeer(settings).start();
        }

        private Builder with(Consumer<Settings> change) {
            Settings copy = settings.copy();
            change.accept(copy);
            return new Builder(copy);
        }
    }

    /** Every option of a {@link Builder} with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        final RpcConnection connection;
        RpcRouter router = RpcRouter.empty();
        @Nullable RpcCodec codec;
        Duration timeout = DEFAULT_TIMEOUT;
        @Nullable Scheduler handlerScheduler;
        @Nullable String name;
        int maxConcurrentCalls;
        int maxOutboundFrameBytes = Integer.MAX_VALUE;
        int maxInboundInFlight = DEFAULT_MAX_INBOUND_IN_FLIGHT;
        int maxQueuedOutboundFrames = DEFAULT_MAX_QUEUED_OUTBOUND_FRAMES;
        long maxQueuedOutboundBytes = DEFAULT_MAX_QUEUED_OUTBOUND_BYTES;
        RpcDialect dialect = RpcDialect.strict();
        ContextView context = Context.empty();
        List<RpcClientFilter> filters = List.of();       // immutable: filter(..) replaces it with a longer copy
        @Nullable RpcWireTap wireTap;

        Settings(RpcConnection connection) {
            this.connection = connection;
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
