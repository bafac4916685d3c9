package dev.plumb.rpc;

import dev.plumb.rpc.internal.CallGate;
import dev.plumb.rpc.internal.CallSentListener;
import dev.plumb.rpc.internal.CallTimeouts;
import dev.plumb.rpc.internal.Outbox;
import dev.plumb.rpc.internal.StreamProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JavaType;

/**
 * The calls, streams and notifications this side starts: ids, the table of calls waiting for their response,
 * timeouts, waiting for room in the outbox, and routing each response to its caller. One per {@link RpcPeer}.
 */
final class OutboundCalls {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundCalls.class);

    private final String name;
    private final RpcCodec codec;
    private final Outbox outbox;
    private final Duration timeout;
    private final int maxOutboundFrameBytes;
    private final CallGate gate;
    private final RpcDialect dialect;
    /** The reason calls can no longer be made (the peer closed, the other side stopped sending), or null. */
    private final Supplier<RpcConnectionClosedException> refusal;
    private final AtomicLong ids = new AtomicLong();
    private final Map<RpcId, Pending> pending = new ConcurrentHashMap<>();
    private final CallTimeouts timeouts = new CallTimeouts(this::expire, () -> !pending.isEmpty());

    OutboundCalls(String name, RpcCodec codec, Outbox outbox, Duration timeout, int maxOutboundFrameBytes,
                  int maxConcurrentCalls, RpcDialect dialect, Supplier<RpcConnectionClosedException> refusal) {
        this.name = name;
        this.codec = codec;
        this.outbox = outbox;
        this.timeout = timeout;
        this.maxOutboundFrameBytes = maxOutboundFrameBytes;
        this.gate = maxConcurrentCalls > 0 ? new CallGate(maxConcurrentCalls) : null;
        this.dialect = dialect;
        this.refusal = refusal;
    }

    RpcId nextId() {
        return RpcId.of(ids.incrementAndGet());
    }

    int pendingCount() {
        return pending.size();
    }

    // ------------------------------------------------------------------------------------------------------ calls

    /**
     * A call; {@code filtered} tells whether it came through client filters, which may leave a
     * {@link CallSentListener} in the subscriber's context (only then is the context looked at).
     */
    Mono<RawJson> call(String method, @Nullable Object params, Duration callTimeout, Consumer<? super RpcId> onSent,
                       Map<String, String> metadata, boolean filtered) {
        return call(method, params, callTimeout, onSent, metadata, filtered, raw -> raw);
    }

    /**
     * A call whose result goes through {@code result} before its caller sees it (a {@code null} from it completes
     * the call empty; a {@link RuntimeException} fails it with an {@link RpcProtocolException}): one operator less
     * per call than mapping the raw result afterwards.
     */
    <T> Mono<T> call(String method, @Nullable Object params, Duration callTimeout, Consumer<? super RpcId> onSent,
                     Map<String, String> metadata, boolean filtered, Function<RawJson, @Nullable T> result) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(callTimeout, "callTimeout");
        return new CallMono<>(method, params, callTimeout, onSent, metadata, filtered, result).assembled();
    }

    /**
     * A call, cold: each subscription sends a request. Its subscription is the call's pending entry itself
     * ({@link CallPending}), so a call costs one object between the caller and the response rather than a
     * {@code Mono.create} sink with its callbacks.
     */
    private final class CallMono<T> extends Mono<T> {
        private final String method;
        private final @Nullable Object params;
        private final Duration callTimeout;
        private final Consumer<? super RpcId> onSent;
        private final Map<String, String> metadata;
        private final boolean filtered;
        private final Function<RawJson, @Nullable T> result;

        CallMono(String method, @Nullable Object params, Duration callTimeout, Consumer<? super RpcId> onSent,
                 Map<String, String> metadata, boolean filtered, Function<RawJson, @Nullable T> result) {
            this.method = method;
            this.params = params;
            this.callTimeout = callTimeout;
            this.onSent = onSent;
            this.metadata = metadata;
            this.filtered = filtered;
            this.result = result;
        }

        /** This call as Reactor's assembly hooks (debug mode, checkpoints) see it. */
        Mono<T> assembled() {
            return onAssembly(this);
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            CallSentListener listener = filtered
                    ? actual.currentContext().getOrDefault(CallSentListener.class, null) : null;
            CallPending<T> p = new CallPending<>(actual, method, callTimeout, onSent, listener, result);
            actual.onSubscribe(p);
            if (!p.isTerminated()) {
                startCall(p, params, metadata);
            }
        }
    }

    private <T> void startCall(CallPending<T> p, @Nullable Object params, Map<String, String> metadata) {
        RpcId id = nextId();
        byte[] frame;
        try {
            frame = checkSize(codec.encodeRequest(id, p.method, params, metadata), p.method);
        } catch (RuntimeException e) {
            p.fail(e);
            return;
        }
        p.id = id;
        if (!register(id, p, p::fail)) {
            return;
        }
        if (p.isTerminated()) { // cancelled meanwhile, before its id was known to the cancel
            if (pending.remove(id, p)) {
                p.release();
            }
            return;
        }
        Duration callTimeout = p.timeout;
        if (!callTimeout.isZero() && !callTimeout.isNegative()) {
            timeouts.arm(p, callTimeout);
        }
        if (gate == null) {
            admit(id, p, frame);
        } else {
            gate.submit(() -> {
                p.slotHeld = true;
                if (p.done) {
                    gate.release();
                    return;
                }
                admit(id, p, frame);
            });
        }
    }

    /** The caller cancelled {@code p}: forget it and, if its request went out, tell the other side. */
    private void cancelled(CallPending<?> p) {
        RpcId id = p.id;
        if (id != null && pending.remove(id, p)) {
            p.release();
            if (p.sent) {
                sendCancel(id);
            }
        }
    }

    /** Fails the calls whose deadline has passed, as if their caller had cancelled them; run by the sweeper. */
    private void expire(long now) {
        for (Map.Entry<RpcId, Pending> e : pending.entrySet()) {
            if (e.getValue() instanceof CallPending<?> p && p.deadline != 0 && now - p.deadline >= 0
                    && pending.remove(e.getKey(), p)) {
                p.release();
                if (p.sent) {
                    sendCancel(e.getKey());
                }
                p.fail(new RpcTimeoutException(p.method, p.timeout));
            }
        }
    }

    /** Lets the call's frame into the outbox once there is room; fails the call when the peer closes first. */
    private void admit(RpcId id, Pending p, byte[] frame) {
        outbox.whenRoom(() -> {
            if (p.done) {
                if (p.slotHeld) {
                    gate.release();
                }
                return;
            }
            p.sent = true;
            p.sent(id);
            outbox.put(frame);
        }, reason -> {
            if (pending.remove(id, p)) {
                p.onClosed(closedBy(reason));
            }
        });
    }

    private RpcConnectionClosedException closedBy(Throwable reason) {
        return reason instanceof RpcConnectionClosedException c ? c
                : new RpcConnectionClosedException(name + ": " + reason.getMessage(), reason);
    }

    private byte[] checkSize(byte[] frame, String method) {
        if (frame.length > maxOutboundFrameBytes) {
            throw new RpcException("'" + method + "' encodes to " + frame.length + " bytes, over the peer's limit of "
                    + maxOutboundFrameBytes + "; nothing was sent");
        }
        return frame;
    }

    /** Registers a pending entry unless calls are refused; then the reason goes to {@code onRefused}. */
    private boolean register(RpcId id, Pending p, Consumer<Throwable> onRefused) {
        RpcConnectionClosedException c = refusal.get();
        if (c != null) {
            onRefused.accept(c);
            return false;
        }
        pending.put(id, p);
        c = refusal.get();
        if (c != null && pending.remove(id, p)) {
            onRefused.accept(c);
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------- notifications

    Mono<Void> notify(String method, @Nullable Object params, Map<String, String> metadata) {
        Objects.requireNonNull(method, "method");
        return Mono.create(sink -> {
            RpcConnectionClosedException c = refusal.get();
            if (c != null) {
                sink.error(c);
                return;
            }
            byte[] frame;
            try {
                frame = checkSize(codec.encodeNotification(method, params, metadata), method);
            } catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            sendWhenRoom(frame, method, sink);
        });
    }

    /** Sends a frame of the local application once there is room, within the timeout; {@code sink} learns which. */
    private void sendWhenRoom(byte[] frame, String what, MonoSink<Void> sink) {
        if (outbox.waitingSenders() == 0 && outbox.hasRoom()) {
            outbox.put(frame);
            sink.success();
            return;
        }
        AtomicBoolean claimed = new AtomicBoolean();
        outbox.whenRoom(() -> {
            if (claimed.compareAndSet(false, true)) {
                outbox.put(frame);
                sink.success();
            }
        }, reason -> {
            if (claimed.compareAndSet(false, true)) {
                sink.error(closedBy(reason));
            }
        });
        if (!timeout.isZero() && !claimed.get()) {
            Disposable timer = Schedulers.parallel().schedule(() -> {
                if (claimed.compareAndSet(false, true)) {
                    sink.error(new RpcTimeoutException(what, timeout));
                }
            }, timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            sink.onDispose(timer);
        }
        sink.onCancel(() -> claimed.set(true));
    }

    // ------------------------------------------------------------------------------------------------- streams

    <T> Flux<T> stream(String method, @Nullable Object params, JavaType type, Map<String, String> metadata) {
        Objects.requireNonNull(method, "method");
        return Flux.create(sink -> startStream(method, params, type, sink, metadata),
                FluxSink.OverflowStrategy.BUFFER);
    }

    private <T> void startStream(String method, @Nullable Object params, JavaType type, FluxSink<T> sink,
                                 Map<String, String> metadata) {
        RpcId id = nextId();
        RawJson rawId = RawJson.wrap(id.json(), 0, id.json().length);
        byte[] frame;
        try {
            frame = checkSize(codec.encodeRequest(id, StreamProtocol.OPEN, new StreamProtocol.Open(method, params),
                    metadata), method);
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
                p.done = true;
                if (p.sent) {
                    sendCancel(id);
                }
            }
        });
        outbox.whenRoom(() -> {
            if (p.done) {
                return;
            }
            p.sent = true;
            outbox.put(frame);
            // demand goes out only after the open; requests made meanwhile were added up by the sink
            sink.onRequest(n -> {
                if (pending.get(id) == p) {
                    outbox.put(codec.encodeNotification(StreamProtocol.REQUEST, new StreamProtocol.Demand(rawId, n)));
                }
            });
        }, reason -> {
            if (pending.remove(id, p)) {
                p.onClosed(closedBy(reason));
            }
        });
    }

    /** A {@code $/stream/next} from the producer: its items go to the stream they belong to. */
    void onStreamItems(Map<String, RawJson> m) {
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

    private void sendCancel(RpcId id) {
        if (refusal.get() == null) {
            outbox.put(codec.encodeNotification(dialect.cancelMethod(),
                    Map.of(dialect.cancelIdMember(), RawJson.wrap(id.json(), 0, id.json().length))));
        }
    }

    // ------------------------------------------------------------------------------------------------- batches

    Mono<RawJson> registerBatchCall(RpcId id, List<byte[]> frames, String method, @Nullable Object params) {
        Sinks.One<RawJson> result = Sinks.one();
        Pending p = new Pending() {
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
        p.sent = true;
        return timeout.isZero() ? mono : mono.timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new RpcTimeoutException(method, timeout));
    }

    Mono<Void> sendBatch(byte[] frame) {
        return Mono.create(sink -> {
            RpcConnectionClosedException c = refusal.get();
            if (c != null) {
                sink.error(c);
                return;
            }
            try {
                checkSize(frame, "batch");
            } catch (RuntimeException e) {
                sink.error(e);
                return;
            }
            sendWhenRoom(frame, "batch", sink);
        });
    }

    // ----------------------------------------------------------------------------------------------- responses

    void onResponse(RpcResponse r) {
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
        if (dialect.routesIdlessErrorsToSoleCall()) {
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
        }
        LOG.warn("{}: the other side reported an error without an id ({} of our calls in flight): {}", name,
                pending.size(), r.error());
    }

    /** Fails every call and stream still waiting with {@code e}, and stops watching for timeouts. */
    void failAll(RpcException e) {
        timeouts.stop();
        for (RpcId id : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.onClosed(e);
            }
        }
    }

    // ----------------------------------------------------------------------------------------- pending entries

    private abstract class Pending {
        volatile boolean sent;
        volatile boolean slotHeld;
        volatile boolean done;

        abstract void onResponse(RpcResponse r);

        abstract void onClosed(RpcException e);

        /** The request frame went out with {@code id}. */
        void sent(RpcId id) {
        }

        /** Marks the call answered or given up, and frees its slot in the gate, if it holds one. */
        final void release() {
            if (!done) {
                done = true;
                if (slotHeld && sent) {
                    gate.release();
                }
            }
        }
    }

    /**
     * A call waiting for its response, and the caller's subscription to it: the response (or failure) is delivered
     * once the caller has asked for it, exactly once, never after a cancel.
     */
    private final class CallPending<T> extends Pending implements CallTimeouts.Timed, Subscription {
        private static final int NOTHING = 0;
        private static final int REQUESTED = 1;
        private static final int HAS_VALUE = 2;
        private static final int TERMINATED = 3;
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<CallPending> STATE =
                AtomicIntegerFieldUpdater.newUpdater(CallPending.class, "state");

        private final CoreSubscriber<? super T> actual;
        private final String method;
        private final Duration timeout;
        private final Consumer<? super RpcId> onSent;
        private final CallSentListener listener;
        private final Function<RawJson, @Nullable T> result;
        private volatile long deadline;
        private volatile int state;
        /** The value waiting for the caller's request (written before the state says so). */
        private @Nullable T value;
        /** The request's id, once it has one. */
        volatile @Nullable RpcId id;

        CallPending(CoreSubscriber<? super T> actual, String method, Duration timeout, Consumer<? super RpcId> onSent,
                    CallSentListener listener, Function<RawJson, @Nullable T> result) {
            this.actual = actual;
            this.method = method;
            this.timeout = timeout;
            this.onSent = onSent;
            this.listener = listener;
            this.result = result;
        }

        boolean isTerminated() {
            return state == TERMINATED;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                return;
            }
            for (;;) {
                int s = state;
                if (s == REQUESTED || s == TERMINATED) {
                    return;
                }
                if (s == HAS_VALUE) {
                    if (STATE.compareAndSet(this, HAS_VALUE, TERMINATED)) {
                        T v = value;
                        value = null;
                        actual.onNext(v);
                        actual.onComplete();
                    }
                    return;
                }
                if (STATE.compareAndSet(this, NOTHING, REQUESTED)) {
                    return;
                }
            }
        }

        @Override
        public void cancel() {
            if (terminate()) {
                cancelled(this);
            }
        }

        /** Ends the call; {@code false} when it had ended already. */
        private boolean terminate() {
            for (;;) {
                int s = state;
                if (s == TERMINATED) {
                    return false;
                }
                if (STATE.compareAndSet(this, s, TERMINATED)) {
                    value = null;
                    return true;
                }
            }
        }

        /** Gives the caller {@code v} (or completes it empty for {@code null}) once it has asked. */
        void succeed(@Nullable T v) {
            if (v == null) {
                if (terminate()) {
                    actual.onComplete();
                }
                return;
            }
            for (;;) {
                int s = state;
                if (s == TERMINATED || s == HAS_VALUE) {
                    return;
                }
                if (s == REQUESTED) {
                    if (STATE.compareAndSet(this, REQUESTED, TERMINATED)) {
                        actual.onNext(v);
                        actual.onComplete();
                    }
                    return;
                }
                value = v;
                if (STATE.compareAndSet(this, NOTHING, HAS_VALUE)) {
                    return;
                }
            }
        }

        /** Fails the call with {@code e}, unless it has ended. */
        void fail(Throwable e) {
            if (terminate()) {
                actual.onError(e);
            } else {
                Operators.onErrorDropped(e, actual.currentContext());
            }
        }

        @Override
        void sent(RpcId id) {
            if (listener != null) {
                try {
                    listener.sent();
                } catch (RuntimeException e) {
                    LOG.warn("{}: the sent listener of call '{}' failed", name, method, e);
                }
            }
            if (onSent != null) {
                try {
                    onSent.accept(id);
                } catch (RuntimeException e) {
                    LOG.warn("{}: the listener of call '{}' failed", name, method, e);
                }
            }
        }

        @Override
        public void deadline(long nanos) {
            deadline = nanos == 0 ? 1 : nanos;
        }

        @Override
        void onResponse(RpcResponse r) {
            if (r.isError()) {
                fail(new RpcErrorException(r.error()));
                return;
            }
            T v;
            try {
                v = result.apply(r.result());
            } catch (RpcProtocolException e) {
                fail(e);
                return;
            } catch (RuntimeException e) {
                fail(new RpcProtocolException("the result of '" + method + "' could not be read: "
                        + e.getMessage(), e));
                return;
            }
            succeed(v);
        }

        @Override
        void onClosed(RpcException e) {
            release();
            fail(e);
        }
    }

    private final class StreamPending<T> extends Pending {
        private final FluxSink<T> sink;
        private final JavaType type;
        private final String method;

        StreamPending(FluxSink<T> sink, JavaType type, String method) {
            this.sink = sink;
            this.type = type;
            this.method = method;
        }

        @SuppressWarnings("unchecked")
        void onItem(RawJson value) {
            T item;
            try {
                item = type.getRawClass() == RawJson.class ? (T) value : codec.bind(value, type);
            } catch (RuntimeException e) {
                sink.error(new RpcProtocolException("an item of '" + method + "' does not bind to "
                        + type.getRawClass().getSimpleName() + ": " + e.getMessage(), e));
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
}
