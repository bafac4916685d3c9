package dev.plumb.rpc;

import dev.plumb.rpc.internal.CallGate;
import dev.plumb.rpc.internal.ErrorMapping;
import dev.plumb.rpc.internal.StreamProducer;
import dev.plumb.rpc.internal.StreamProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
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
 * <p>Calls are cold: nothing is sent until subscription. Each call has a timeout ({@link RpcTimeoutException});
 * cancelling a call's subscriber sends {@code $/cancelRequest} and frees its slot; when the connection closes,
 * every pending call fails at once with {@link RpcConnectionClosedException}. Outbound frames go through a
 * lock-free multi-producer queue, so callers on any thread never block each other. Inbound calls run on the
 * handler scheduler ({@link Schedulers#parallel()} by default), never on the transport's thread unless
 * {@link Schedulers#immediate()} is chosen.
 */
public final class RpcPeer implements Disposable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcPeer.class);

    private static final Duration GRACEFUL_SEND_TIMEOUT = Duration.ofSeconds(10);

    /** The default per-call timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final RpcConnection connection;
    private final RpcRouter router;
    private final RpcCodec codec;
    private final Duration timeout;
    private final Scheduler handlerScheduler;
    private final String name;
    private final int maxOutboundFrameBytes;
    private final byte[] inboundPrefix;
    private final CallGate gate;
    private final boolean replyToInvalidFrames;
    private final reactor.util.context.ContextView context;

    private final AtomicLong ids = new AtomicLong();
    private final Map<RpcId, Pending> pending = new ConcurrentHashMap<>();
    private final Map<RpcId, Disposable> running = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger inboundWork = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean inboundEnded;
    private final Map<RpcId, StreamProducer> producers = new ConcurrentHashMap<>();
    private final Sinks.Many<byte[]> out =
            Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<byte[]>unboundedMultiproducer().get());
    private final AtomicReference<RpcConnectionClosedException> closed = new AtomicReference<>();
    private final Sinks.Empty<Void> closedSignal = Sinks.empty();
    private final Sinks.Empty<Void> sendDone = Sinks.empty();

    private RpcPeer(Builder b) {
        this.connection = b.connection;
        this.router = b.router;
        this.codec = b.codec;
        this.timeout = b.timeout;
        this.handlerScheduler = b.handlerScheduler;
        this.name = b.name != null ? b.name : connection.description();
        this.maxOutboundFrameBytes = b.maxOutboundFrameBytes;
        this.inboundPrefix = b.inboundPrefix == null || b.inboundPrefix.isEmpty() ? null
                : b.inboundPrefix.getBytes(StandardCharsets.UTF_8);
        this.gate = b.maxConcurrentCalls > 0 ? new CallGate(b.maxConcurrentCalls) : null;
        this.replyToInvalidFrames = b.replyToInvalidFrames;
        this.context = b.context;
    }

    /** A builder for a peer on {@code connection}. */
    public static Builder builder(RpcConnection connection) {
        return new Builder(connection);
    }

    private RpcPeer start() {
        connection.send(out.asFlux()).subscribe(null, e -> {
            sendDone.tryEmitEmpty();
            closeWith(e);
        }, sendDone::tryEmitEmpty);
        connection.receive().subscribe(this::onFrameSafely, this::closeWith, this::onInboundEnd);
        connection.onClose().subscribe(null, this::closeWith, () -> closeWith(null));
        return this;
    }

    // ------------------------------------------------------------------------------------------- outbound calls

    /** Calls {@code method}; the result as a Jackson tree ({@code NullNode} for a null result). */
    public Mono<JsonNode> call(String method, Object params) {
        return callRaw(method, params, timeout).map(codec::tree);
    }

    /** Calls {@code method} and binds the result to {@code type}; a {@code null} result completes empty. */
    public <T> Mono<T> call(String method, Object params, Class<T> type) {
        return callRaw(method, params, timeout).handle((raw, sink) -> {
            if (!raw.isNull()) {
                try {
                    sink.next(codec.bind(raw, type));
                } catch (RuntimeException e) {
                    sink.error(new RpcProtocolException("result of '" + method + "' does not bind to "
                            + type.getSimpleName() + ": " + e.getMessage(), e));
                }
            }
        });
    }

    /** Calls {@code method} and keeps the result raw, with the peer's default timeout. */
    public Mono<RawJson> callRaw(String method, Object params) {
        return callRaw(method, params, timeout);
    }

    /** Calls {@code method} and keeps the result raw, with its own timeout ({@link Duration#ZERO}: none). */
    public Mono<RawJson> callRaw(String method, Object params, Duration callTimeout) {
        Objects.requireNonNull(method, "method");
        Mono<RawJson> call = Mono.create(sink -> startCall(method, params, sink));
        if (callTimeout.isZero() || callTimeout.isNegative()) {
            return call;
        }
        return call.timeout(callTimeout)
                .onErrorMap(TimeoutException.class, e -> new RpcTimeoutException(method, callTimeout));
    }

    private void startCall(String method, Object params, MonoSink<RawJson> sink) {
        RpcId id = RpcId.of(ids.incrementAndGet());
        byte[] frame;
        try {
            frame = encodeOutbound(codec.encodeRequest(id, method, params), method);
        } catch (RuntimeException e) {
            sink.error(e);
            return;
        }
        CallPending p = new CallPending(sink);
        if (!register(id, p, sink::error)) {
            return;
        }
        sink.onCancel(() -> {
            if (pending.remove(id, p)) {
                p.release();
                if (p.sent) {
                    sendCancel(id);
                }
            }
        });
        send(p, frame);
    }

    private byte[] encodeOutbound(byte[] frame, String method) {
        if (frame.length > maxOutboundFrameBytes) {
            throw new RpcException("'" + method + "' encodes to " + frame.length + " bytes, over the peer's limit of "
                    + maxOutboundFrameBytes + "; nothing was sent");
        }
        return frame;
    }

    /** Registers a pending entry unless the peer is closed; on close the failure goes to {@code onClosed}. */
    private boolean register(RpcId id, Pending p, java.util.function.Consumer<Throwable> onClosed) {
        RpcConnectionClosedException c = closed.get();
        if (c == null && inboundEnded) {
            c = new RpcConnectionClosedException(name + ": the other side has stopped sending");
        }
        if (c != null) {
            onClosed.accept(c);
            return false;
        }
        pending.put(id, p);
        c = closed.get();
        if (c != null && pending.remove(id, p)) {
            onClosed.accept(c);
            return false;
        }
        return true;
    }

    private void send(Pending p, byte[] frame) {
        if (gate == null) {
            p.sent = true;
            emit(frame);
            return;
        }
        p.gated = true;
        gate.submit(() -> {
            if (p.done) {
                gate.release();
                return;
            }
            p.sent = true;
            emit(frame);
        });
    }

    /** Sends a notification; completes once it is queued for sending. */
    public Mono<Void> notify(String method, Object params) {
        Objects.requireNonNull(method, "method");
        return Mono.fromRunnable(() -> {
            RpcConnectionClosedException c = closed.get();
            if (c != null) {
                throw c;
            }
            emit(encodeOutbound(codec.encodeNotification(method, params), method));
        });
    }

    /**
     * Streams {@code method}'s items with backpressure carried over the wire: the remote producer never sends more
     * items than this subscriber requested. Cancelling stops the remote producer. Streams have no timeout.
     */
    public <T> Flux<T> stream(String method, Object params, Class<T> type) {
        Objects.requireNonNull(method, "method");
        return Flux.create(sink -> startStream(method, params, type, sink), FluxSink.OverflowStrategy.BUFFER);
    }

    private <T> void startStream(String method, Object params, Class<T> type, FluxSink<T> sink) {
        RpcId id = RpcId.of(ids.incrementAndGet());
        RawJson rawId = RawJson.wrap(id.json(), 0, id.json().length);
        byte[] frame;
        try {
            frame = codec.encodeRequest(id, StreamProtocol.OPEN, new StreamProtocol.Open(method, params));
        } catch (RuntimeException e) {
            sink.error(e);
            return;
        }
        StreamPending<T> p = new StreamPending<>(sink, type, method);
        if (!register(id, p, sink::error)) {
            return;
        }
        sink.onCancel(() -> {
            if (pending.remove(id, p)) {
                sendCancel(id);
            }
        });
        p.sent = true;
        emit(frame);
        sink.onRequest(n -> {
            if (pending.get(id) == p) {
                emit(codec.encodeNotification(StreamProtocol.REQUEST, new StreamProtocol.Demand(rawId, n)));
            }
        });
    }

    /** Starts a client-side batch: add calls and notifications, then {@link RpcClientBatch#send()}. */
    public RpcClientBatch batch() {
        return new RpcClientBatch(this);
    }

    Mono<RawJson> registerBatchCall(RpcId id, List<byte[]> frames, String method, Object params) {
        Sinks.One<RawJson> result = Sinks.one();
        CallPending p = new CallPending(null) {
            @Override
            void onResponse(RpcResponse r) {
                if (r.isError()) {
                    result.tryEmitError(new RpcErrorException(r.error()));
                } else {
                    result.tryEmitValue(r.result());
                }
            }

            @Override
            void onClosed(RpcException e) {
                result.tryEmitError(e);
            }
        };
        frames.add(codec.encodeRequest(id, method, params));
        Mono<RawJson> mono = result.asMono().doOnCancel(() -> pending.remove(id, p));
        if (!register(id, p, result::tryEmitError)) {
            return mono;
        }
        return timeout.isZero() ? mono : mono.timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new RpcTimeoutException(method, timeout));
    }

    RpcId nextId() {
        return RpcId.of(ids.incrementAndGet());
    }

    RpcCodec codecForBatch() {
        return codec;
    }

    void emitBatch(byte[] frame) {
        RpcConnectionClosedException c = closed.get();
        if (c != null) {
            throw c;
        }
        emit(encodeOutbound(frame, "batch"));
    }

    private void sendCancel(RpcId id) {
        if (closed.get() == null) {
            emit(codec.encodeNotification(StreamProtocol.CANCEL,
                    new StreamProtocol.Cancel(RawJson.wrap(id.json(), 0, id.json().length))));
        }
    }

    private void emit(byte[] frame) {
        Sinks.EmitResult r = out.tryEmitNext(frame);
        if (r.isFailure() && closed.get() == null) {
            LOG.warn("{}: could not queue a frame for sending: {}", name, r);
        }
    }

    // ------------------------------------------------------------------------------------------------- inbound

    private void onFrameSafely(byte[] frame) {
        try {
            onFrame(frame);
        } catch (RuntimeException e) {
            LOG.error("{}: failed to process an inbound frame", name, e);
        }
    }

    private void onFrame(byte[] frame) {
        if (frame == RpcConnection.OVERSIZED_FRAME) {
            emit(codec.encodeError(RpcId.NULL, RpcError.invalidRequest("Request too large")));
            return;
        }
        int offset = 0;
        if (inboundPrefix != null && startsWith(frame, inboundPrefix)) {
            offset = inboundPrefix.length;
        }
        RpcPacket packet = codec == router.codec() ? router.decode(frame, offset, frame.length - offset)
                : codec.decode(frame, offset, frame.length - offset);
        if (packet instanceof RpcResponse r) {
            onResponse(r);
        } else if (packet instanceof RpcRequest r) {
            onRequest(r);
        } else if (packet instanceof RpcNotification n) {
            onNotification(n);
        } else if (packet instanceof RpcInvalid v) {
            if (v.looksLikeResponse()) {
                LOG.warn("{}: dropped an invalid response: {}", name, preview(frame));
            } else if (replyToInvalidFrames) {
                LOG.debug("{}: invalid frame ({}): {}", name, v.error().message(), preview(frame));
                emit(codec.encodeError(v.id(), v.error()));
            } else {
                LOG.warn("{}: ignored a line that is not a JSON-RPC message: {}", name, preview(frame));
            }
        } else {
            onBatch((RpcBatch) packet);
        }
    }

    private static boolean startsWith(byte[] frame, byte[] prefix) {
        return frame.length >= prefix.length && Arrays.equals(frame, 0, prefix.length, prefix, 0, prefix.length);
    }


    private static String preview(byte[] frame) {
        int n = Math.min(frame.length, 200);
        return new String(frame, 0, n, StandardCharsets.UTF_8) + (frame.length > n ? "…" : "");
    }

    private void onResponse(RpcResponse r) {
        if (r.id().isNull()) {
            onIdlessResponse(r);
            return;
        }
        Pending p = pending.remove(r.id());
        if (p == null) {
            LOG.debug("{}: response to unknown id {} dropped", name, r.id());
            return;
        }
        p.release();
        p.onResponse(r);
    }

    /** A response with a null or missing id: an answer to a notification, or an error about an unreadable frame. */
    private void onIdlessResponse(RpcResponse r) {
        if (!r.isError()) {
            LOG.debug("{}: id-less result dropped (a reply to a notification)", name);
            return;
        }
        List<Map.Entry<RpcId, Pending>> inFlight = new ArrayList<>(2);
        for (Map.Entry<RpcId, Pending> e : pending.entrySet()) {
            if (e.getValue().sent) {
                inFlight.add(e);
                if (inFlight.size() > 1) {
                    break;
                }
            }
        }
        if (inFlight.size() == 1 && pending.remove(inFlight.get(0).getKey(), inFlight.get(0).getValue())) {
            Pending p = inFlight.get(0).getValue();
            p.release();
            p.onResponse(RpcResponse.failure(inFlight.get(0).getKey(), r.error()));
            return;
        }
        LOG.warn("{}: the other side reported an error without an id while {} calls were in flight: {}", name,
                inFlight.size(), r.error());
    }

    private void onRequest(RpcRequest r) {
        if (StreamProtocol.OPEN.equals(r.method())) {
            openStream(r);
            return;
        }
        RpcCall call = router.callOf(r);
        Disposable.Swap slot = Disposables.swap();
        running.put(r.id(), slot);
        inboundWork.incrementAndGet();
        slot.update(router.answer(call)
                .contextWrite(context)
                .subscribeOn(handlerScheduler)
                .doFinally(s -> {
                    running.remove(r.id(), slot);
                    inboundWorkDone();
                })
                .subscribe(this::emit, e -> LOG.error("{}: answering '{}' failed", name, r.method(), e)));
    }

    private void openStream(RpcRequest r) {
        Map<String, RawJson> open = codec.members(r.params());
        RawJson method = open.get("method");
        if (method == null || method.firstByte() != '"') {
            emit(codec.encodeError(r.id(), RpcError.invalidParams("$/stream/open needs a method")));
            return;
        }
        RawJson params = open.get("params");
        if (params != null && params.isNull()) {
            params = null;
        }
        String methodName = codec.bind(method, String.class);
        RpcCall call = new RpcCall(methodName, new RpcParams(params, codec), r.id());
        inboundWork.incrementAndGet();
        StreamProducer producer = new StreamProducer(r.id(), methodName, codec, this::emit, () -> {
            if (producers.remove(r.id()) != null) {
                inboundWorkDone();
            }
        }, handlerScheduler, context);
        producers.put(r.id(), producer);
        producer.start(router.dispatch(call).contextWrite(context).subscribeOn(handlerScheduler));
    }

    private void onNotification(RpcNotification n) {
        switch (n.method()) {
            case StreamProtocol.NEXT -> onStreamItem(n.params());
            case StreamProtocol.REQUEST -> onStreamDemand(n.params());
            case StreamProtocol.CANCEL -> onCancelRequest(n.params());
            default -> {
                inboundWork.incrementAndGet();
                router.runNotification(router.callOf(n)).contextWrite(context).subscribeOn(handlerScheduler)
                        .doFinally(s -> inboundWorkDone()).subscribe();
            }
        }
    }

    private void onStreamItem(RawJson params) {
        Map<String, RawJson> m = codec.members(params);
        RpcId id = codec.idOf(m.get("id"));
        Pending p = id == null ? null : pending.get(id);
        if (p instanceof StreamPending<?> sp) {
            RawJson values = m.get("values");
            if (values != null) {
                for (RawJson v : codec.elements(values)) {
                    sp.onItem(v);
                }
            } else {
                sp.onItem(m.getOrDefault("value", RawJson.NULL));
            }
        } else {
            LOG.debug("{}: stream item for unknown stream {} dropped", name, id);
        }
    }

    private void onStreamDemand(RawJson params) {
        Map<String, RawJson> m = codec.members(params);
        RpcId id = codec.idOf(m.get("id"));
        StreamProducer producer = id == null ? null : producers.get(id);
        RawJson n = m.get("n");
        if (producer != null && n != null) {
            long more = codec.bind(n, Long.class);
            if (more > 0) {
                producer.request(more);
            }
        }
    }

    private void onCancelRequest(RawJson params) {
        RpcId id = codec.idOf(codec.members(params).get("id"));
        if (id == null) {
            return;
        }
        StreamProducer producer = producers.remove(id);
        if (producer != null) {
            producer.cancel();
            inboundWorkDone();
            return;
        }
        Disposable task = running.remove(id);
        if (task != null) {
            task.dispose();
            emit(codec.encodeError(id, RpcError.requestCancelled()));
        }
    }

    private void onBatch(RpcBatch batch) {
        List<RpcPacket> calls = new ArrayList<>(batch.members().size());
        for (RpcPacket m : batch.members()) {
            if (m instanceof RpcResponse r) {
                onResponse(r);
            } else {
                calls.add(m);
            }
        }
        if (!calls.isEmpty()) {
            inboundWork.incrementAndGet();
            router.respond(new RpcBatch(calls)).contextWrite(context).subscribeOn(handlerScheduler)
                    .doFinally(s -> inboundWorkDone())
                    .subscribe(this::emit, e -> LOG.error("{}: answering a batch failed", name, e));
        }
    }

    // --------------------------------------------------------------------------------------------------- close

    private void inboundWorkDone() {
        if (inboundWork.updateAndGet(n -> n > 0 ? n - 1 : 0) == 0 && inboundEnded) {
            closeWith(null);
        }
    }

    /**
     * The other side stopped sending (end of input, a half-closed stream): our calls can no longer be answered
     * and fail now, while calls it made are finished and answered before the peer closes.
     */
    private void onInboundEnd() {
        inboundEnded = true;
        RpcConnectionClosedException ex = new RpcConnectionClosedException(name + ": the other side has stopped sending");
        for (RpcId id : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.onClosed(ex);
            }
        }
        if (inboundWork.get() == 0) {
            closeWith(null);
        }
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
        LOG.debug("{}: closed ({} calls pending)", name, pending.size(), cause);
        for (RpcId id : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.onClosed(ex);
            }
        }
        for (RpcId id : List.copyOf(running.keySet())) {
            Disposable d = running.remove(id);
            if (d != null) {
                d.dispose();
            }
        }
        for (RpcId id : List.copyOf(producers.keySet())) {
            StreamProducer p = producers.remove(id);
            if (p != null) {
                p.cancel();
            }
        }
        inboundWork.set(0);
        out.tryEmitComplete();
        if (cause == null && inboundEnded) {
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
        return pending.size();
    }

    /** How many inbound calls, notifications, batches and streams are being handled. */
    public int runningCount() {
        return inboundWork.get();
    }

    /** The connection this peer speaks over. */
    public RpcConnection connection() {
        return connection;
    }

    /** The codec of this peer. */
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

    // ----------------------------------------------------------------------------------------- pending entries

    private abstract class Pending {
        volatile boolean sent;
        volatile boolean gated;
        volatile boolean done;

        abstract void onResponse(RpcResponse r);

        abstract void onClosed(RpcException e);

        final void release() {
            if (!done) {
                done = true;
                if (gated && sent) {
                    gate.release();
                }
            }
        }
    }

    private class CallPending extends Pending {
        private final MonoSink<RawJson> sink;

        CallPending(MonoSink<RawJson> sink) {
            this.sink = sink;
        }

        @Override
        void onResponse(RpcResponse r) {
            if (r.isError()) {
                sink.error(new RpcErrorException(r.error()));
            } else {
                sink.success(r.result());
            }
        }

        @Override
        void onClosed(RpcException e) {
            release();
            sink.error(e);
        }
    }

    private final class StreamPending<T> extends Pending {
        private final FluxSink<T> sink;
        private final Class<T> type;
        private final String method;

        StreamPending(FluxSink<T> sink, Class<T> type, String method) {
            this.sink = sink;
            this.type = type;
            this.method = method;
        }

        void onItem(RawJson value) {
            T item;
            try {
                item = codec.bind(value, type);
            } catch (RuntimeException e) {
                sink.error(new RpcProtocolException("an item of '" + method + "' does not bind to "
                        + type.getSimpleName() + ": " + e.getMessage(), e));
                return;
            }
            if (item == null) {
                sink.error(new RpcProtocolException("'" + method + "' streamed a null item"));
                return;
            }
            sink.next(item);
        }

        @Override
        void onResponse(RpcResponse r) {
            if (r.isError()) {
                sink.error(new RpcErrorException(r.error()));
            } else {
                sink.complete();
            }
        }

        @Override
        void onClosed(RpcException e) {
            sink.error(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- builder

    /** Configures and connects an {@link RpcPeer}; every setting has a default. */
    public static final class Builder {
        private final RpcConnection connection;
        private RpcRouter router = RpcRouter.empty();
        private RpcCodec codec;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Scheduler handlerScheduler = Schedulers.parallel();
        private String name;
        private int maxConcurrentCalls;
        private int maxOutboundFrameBytes = Integer.MAX_VALUE;
        private String inboundPrefix;
        private boolean replyToInvalidFrames = true;
        private reactor.util.context.ContextView context = reactor.util.context.Context.empty();

        private Builder(RpcConnection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        /** Answers the other side's calls; default: none (every call answers -32601). */
        public Builder router(RpcRouter router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /** The codec; default the router's codec. */
        public Builder codec(RpcCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /** Per-call timeout; default 30 s. {@link Duration#ZERO} disables it. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Where inbound calls run; default {@link Schedulers#parallel()}. Handlers must not block on it. */
        public Builder handlerScheduler(Scheduler scheduler) {
            this.handlerScheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** A name for logs; default the connection's description. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * At most this many outbound calls in flight; later calls wait, in order, without blocking anyone.
         * Default 0: unlimited. {@code 1} gives the one-request-at-a-time mode some servers need.
         */
        public Builder maxConcurrentCalls(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxConcurrentCalls must be >= 0");
            }
            this.maxConcurrentCalls = n;
            return this;
        }

        /** Never sends a frame larger than this; such a call fails without sending. Default unlimited. */
        public Builder maxOutboundFrameBytes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxOutboundFrameBytes must be positive");
            }
            this.maxOutboundFrameBytes = n;
            return this;
        }

        /** A prefix the other side puts before each frame (Civi::pipe's {@code responsePrefix}); stripped. */
        public Builder inboundPrefix(String prefix) {
            this.inboundPrefix = prefix;
            return this;
        }

        /**
         * Whether unreadable or invalid inbound frames are answered with -32700/-32600 (default {@code true}, as a
         * JSON-RPC server must). Turn it off towards servers whose stdout may carry noise, such as a PHP process,
         * where answering would only start an exchange of errors; such frames are then logged and dropped.
         */
        public Builder replyToInvalidFrames(boolean reply) {
            this.replyToInvalidFrames = reply;
            return this;
        }

        /**
         * A Reactor context every inbound call runs with, e.g. the principal a connection authenticated as
         * (handlers read it with {@code Mono.deferContextual}). Default empty.
         */
        public Builder context(reactor.util.context.ContextView context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** Creates the peer and starts reading from the connection. */
        public RpcPeer connect() {
            if (codec == null) {
                codec = router.codec();
            }
            return new RpcPeer(this).start();
        }
    }
}
