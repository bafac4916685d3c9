package dev.plumb.rpc;

import dev.plumb.rpc.internal.InboundCredit;
import dev.plumb.rpc.internal.Outbox;
import dev.plumb.rpc.internal.StreamProducer;
import dev.plumb.rpc.internal.StreamProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The messages the other side sends: responses go to {@link OutboundCalls}; requests, notifications, batches and
 * streams start their handlers, in arrival order, on the thread that delivered them (unless a scheduler is
 * chosen); cancellations stop them.
 *
 * <p>Every inbound frame holds one unit of the connection's inbound capacity ({@link InboundCredit}) until its
 * work is done: a response or a notification when handled, a request when its reply has been taken by the
 * transport, a stream when it ends. So the replies waiting to be written, and the handlers running, are bounded
 * by the peer's {@code maxInboundInFlight}; past it, the connection is read no further.
 */
final class InboundDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);

    private final String name;
    private final RpcRouter router;
    private final RpcCodec codec;
    private final RpcDialect dialect;
    private final Outbox outbox;
    private final OutboundCalls calls;
    private final Scheduler handlerScheduler;
    private final Context context;
    private final Runnable onIdleAfterEnd;
    private final Map<RpcId, InboundCall> running = new ConcurrentHashMap<>();
    private final Map<RpcId, OpenStream> producers = new ConcurrentHashMap<>();
    private volatile InboundCredit credit;
    private volatile boolean ended;
    private volatile boolean closed;

    InboundDispatcher(String name, RpcRouter router, RpcCodec codec, RpcDialect dialect, Outbox outbox,
                      OutboundCalls calls, Scheduler handlerScheduler, ContextView context, Runnable onIdleAfterEnd) {
        this.name = name;
        this.router = router;
        this.codec = codec;
        this.dialect = dialect;
        this.outbox = outbox;
        this.calls = calls;
        this.handlerScheduler = handlerScheduler;
        this.context = Context.of(context);
        this.onIdleAfterEnd = onIdleAfterEnd;
    }

    /** The subscriber the peer reads its connection with, at most {@code limit} frames in flight. */
    InboundCredit reader(int limit, java.util.function.Consumer<Throwable> onError, Runnable onEnd) {
        InboundCredit c = new InboundCredit(limit, this::onFrameSafely, onError, onEnd, context);
        this.credit = c;
        return c;
    }

    /** Inbound frames whose work is not done yet. */
    int inFlight() {
        InboundCredit c = credit;
        return c == null ? 0 : c.inFlight();
    }

    /** The demand granted to the streams this side produces and not used yet. */
    long streamCredit() {
        long sum = 0;
        for (OpenStream s : producers.values()) {
            sum = Operators.addCap(sum, s.producer().credit());
        }
        return sum;
    }

    /** The frame's work is done: its unit of capacity goes back. */
    private void done() {
        credit.release();
        if (ended && credit.inFlight() == 0) {
            onIdleAfterEnd.run();
        }
    }

    /** Sends a reply; the frame's capacity comes back once the transport has taken it. */
    private void reply(byte[] frame) {
        if (closed) {
            done();
            return;
        }
        outbox.put(frame, this::done);
    }

    // -------------------------------------------------------------------------------------------------- frames

    private void onFrameSafely(byte[] frame) {
        try {
            onFrame(frame);
        } catch (RuntimeException e) {
            LOG.error("{}: failed to process an inbound frame", name, e);
            done();
        }
    }

    private void onFrame(byte[] frame) {
        if (frame == RpcConnection.OVERSIZED_FRAME) {
            reply(codec.encodeError(RpcId.NULL, RpcError.invalidRequest("Request too large")));
            return;
        }
        int offset = dialect.messageOffset(frame);
        RpcPacket packet = codec == router.codec() ? router.decode(frame, offset, frame.length - offset)
                : codec.decode(frame, offset, frame.length - offset);
        if (packet instanceof RpcResponse r) {
            calls.onResponse(r);
            done();
        } else if (packet instanceof RpcRequest r) {
            onRequest(r);
        } else if (packet instanceof RpcNotification n) {
            onNotification(n);
        } else if (packet instanceof RpcInvalid v) {
            onInvalid(v, frame);
        } else {
            onBatch((RpcBatch) packet);
        }
    }

    private void onInvalid(RpcInvalid v, byte[] frame) {
        if (v.looksLikeResponse()) {
            LOG.warn("{}: dropped an invalid response: {}", name, preview(frame));
            done();
        } else if (dialect.repliesToInvalidFrames()) {
            LOG.debug("{}: invalid frame ({}): {}", name, v.error().message(), preview(frame));
            reply(codec.encodeError(v.id(), v.error()));
        } else {
            LOG.warn("{}: ignored a frame that is not a JSON-RPC message: {}", name, preview(frame));
            done();
        }
    }

    private static String preview(byte[] frame) {
        int n = Math.min(frame.length, 200);
        return new String(frame, 0, n, StandardCharsets.UTF_8) + (frame.length > n ? "…" : "");
    }

    // ------------------------------------------------------------------------------------------------ requests

    private void onRequest(RpcRequest r) {
        if (StreamProtocol.OPEN.equals(r.method())) {
            openStream(r);
            return;
        }
        RpcCall call = router.callOf(r);
        RawJson token = partialResultToken(r);
        Context withMetadata = RpcMetadata.with(context, r.metadata());
        if (withMetadata != context) {
            Mono<byte[]> answer = token != null ? answerWithPartialResults(call, token) : router.answer(call);
            if (handlerScheduler != null) {
                answer = answer.subscribeOn(handlerScheduler);
            }
            subscribe(r.id(), r.method(), answer.contextWrite(withMetadata));
            return;
        }
        if (token != null) {
            Mono<byte[]> partial = answerWithPartialResults(call, token);
            subscribe(r.id(), r.method(), handlerScheduler != null ? partial.subscribeOn(handlerScheduler) : partial);
            return;
        }
        if (handlerScheduler != null) {
            subscribe(r.id(), r.method(), router.answer(call).subscribeOn(handlerScheduler));
            return;
        }
        Object answer = router.start(call, context);
        if (answer instanceof byte[] frame) {
            reply(frame);
        } else {
            @SuppressWarnings("unchecked")
            Mono<byte[]> later = (Mono<byte[]>) answer;
            subscribe(r.id(), r.method(), later);
        }
    }

    /** The partial-result token of a request, when the dialect streams partial results and the request has one. */
    private RawJson partialResultToken(RpcRequest r) {
        String member = dialect.partialResultTokenMember();
        if (member == null || r.params() == null || !r.params().isObject()) {
            return null;
        }
        RawJson token = codec.members(r.params()).get(member);
        return token == null || token.isNull() ? null : token;
    }

    /** Params of a partial-result notification. */
    private record Progress(RawJson token, List<Object> value) {
    }

    /**
     * Runs a request whose items go out as partial-result notifications as they come (each waiting for room in
     * the outbox), the response then carrying an empty array; a single value is the response as usual.
     */
    private Mono<byte[]> answerWithPartialResults(RpcCall call, RawJson token) {
        RpcId id = call.id();
        return router.dispatch(call)
                .flatMap(reply -> {
                    if (reply instanceof RpcReply.Stream s) {
                        return s.items()
                                .concatMap(item -> outbox.room().doOnSuccess(v -> outbox.put(codec.encodeNotification(
                                        dialect.progressMethod(), new Progress(token, List.of(item))))), 1)
                                .then(Mono.fromSupplier(() -> codec.encodeResult(id, List.of())));
                    }
                    Object value = ((RpcReply.Value) reply).value();
                    return Mono.fromSupplier(() -> codec.encodeResult(id, value));
                })
                .onErrorResume(e -> Mono.just(codec.encodeError(id, RpcRouter.errorFor(call.method(), e))));
    }

    private void subscribe(RpcId id, String method, Mono<byte[]> reply) {
        InboundCall c = new InboundCall(id, method);
        if (running.putIfAbsent(id, c) != null) {
            c.tracked = false; // a duplicate id in flight: answered, but it cannot be cancelled by id
        }
        reply.subscribe(c);
    }

    /** One request whose handler answers later: its reply, or its cancellation, ends it exactly once. */
    private final class InboundCall implements CoreSubscriber<byte[]>, Disposable {
        private final RpcId id;
        private final String method;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile Subscription subscription;
        private volatile boolean tracked = true;

        InboundCall(RpcId id, String method) {
            this.id = id;
            this.method = method;
        }

        @Override
        public Context currentContext() {
            return context;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(subscription, s)) {
                subscription = s;
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(byte[] frame) {
            if (finish()) {
                reply(frame);
            }
        }

        @Override
        public void onError(Throwable t) {
            if (finish()) {
                reply(codec.encodeError(id, RpcRouter.errorFor(method, t)));
            }
        }

        @Override
        public void onComplete() {
            if (finish()) {
                done(); // nothing to send (cannot happen for a request, but the unit must come back)
            }
        }

        private boolean finish() {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            if (tracked) {
                running.remove(id, this);
            }
            return true;
        }

        /** Cancelled by the other side: the handler stops, and the call is answered -32800 if the dialect says so. */
        void cancelByRequest() {
            if (finish()) {
                cancelUpstream();
                if (dialect.answersCancelledRequests()) {
                    reply(codec.encodeError(id, RpcError.requestCancelled()));
                } else {
                    done();
                }
            }
        }

        @Override
        public void dispose() {
            if (finish()) {
                cancelUpstream();
                done();
            }
        }

        @Override
        public boolean isDisposed() {
            return finished.get();
        }

        private void cancelUpstream() {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- streams

    private void openStream(RpcRequest r) {
        Map<String, RawJson> open = codec.members(r.params());
        RawJson method = open.get("method");
        if (method == null || method.firstByte() != '"') {
            reply(codec.encodeError(r.id(), RpcError.invalidParams("$/stream/open needs a method")));
            return;
        }
        RawJson params = open.get("params");
        if (params != null && params.isNull()) {
            params = null;
        }
        String methodName = codec.bind(method, String.class);
        RpcCall call = new RpcCall(methodName, new RpcParams(params, codec), r.id());
        Scheduler scheduler = handlerScheduler != null ? handlerScheduler
                : router.schedulerOf(methodName) != null ? router.schedulerOf(methodName) : Schedulers.parallel();
        AtomicBoolean once = new AtomicBoolean();
        Runnable finish = () -> {
            if (once.compareAndSet(false, true)) {
                done();
            }
        };
        Context callContext = RpcMetadata.with(context, r.metadata());
        StreamProducer producer = new StreamProducer(r.id(), methodName, codec, outbox, () -> {
            producers.remove(r.id());
            finish.run();
        }, scheduler, callContext);
        if (producers.putIfAbsent(r.id(), new OpenStream(producer, finish)) != null) {
            reply(codec.encodeError(r.id(), RpcError.invalidRequest("a stream with this id is already open")));
            return;
        }
        Mono<RpcReply> dispatched = router.dispatch(call).contextWrite(callContext);
        producer.start(handlerScheduler != null ? dispatched.subscribeOn(handlerScheduler) : dispatched);
    }

    /** A stream being produced, and how to give back its unit of capacity (once) when it ends. */
    private record OpenStream(StreamProducer producer, Runnable finish) {
        void cancel() {
            producer.cancel();
            finish.run();
        }
    }

    // ------------------------------------------------------------------------------------------- notifications

    private void onNotification(RpcNotification n) {
        if (n.method().equals(dialect.cancelMethod())) {
            onCancelRequest(n.params());
            done();
            return;
        }
        switch (n.method()) {
            case StreamProtocol.NEXT -> {
                calls.onStreamItems(codec.members(n.params()));
                done();
            }
            case StreamProtocol.REQUEST -> {
                onStreamDemand(n.params());
                done();
            }
            default -> {
                Mono<Void> run = router.runNotification(router.callOf(n))
                        .contextWrite(RpcMetadata.with(context, n.metadata()));
                if (handlerScheduler != null) {
                    run = run.subscribeOn(handlerScheduler);
                }
                AtomicBoolean once = new AtomicBoolean();
                run.subscribe(null, e -> {
                    if (once.compareAndSet(false, true)) {
                        done();
                    }
                }, () -> {
                    if (once.compareAndSet(false, true)) {
                        done();
                    }
                });
            }
        }
    }

    private void onStreamDemand(RawJson params) {
        Map<String, RawJson> m = codec.members(params);
        RpcId id = codec.idOf(m.get("id"));
        OpenStream stream = id == null ? null : producers.get(id);
        RawJson n = m.get("n");
        if (stream != null && n != null) {
            long more = codec.bind(n, Long.class);
            if (more > 0) {
                stream.producer().request(more);
            }
        }
    }

    private void onCancelRequest(RawJson params) {
        RpcId id = codec.idOf(codec.members(params).get(dialect.cancelIdMember()));
        if (id == null) {
            return;
        }
        OpenStream stream = producers.remove(id);
        if (stream != null) {
            stream.cancel();
            return;
        }
        InboundCall task = running.get(id);
        if (task != null) {
            task.cancelByRequest();
        }
    }

    // ------------------------------------------------------------------------------------------------- batches

    private void onBatch(RpcBatch batch) {
        if (batch.members().size() > router.maxBatchMembers()) {
            reply(router.batchTooLarge(batch));
            return;
        }
        List<RpcPacket> members = new ArrayList<>(batch.members().size());
        for (RpcPacket m : batch.members()) {
            if (m instanceof RpcResponse r) {
                calls.onResponse(r);
            } else {
                members.add(m);
            }
        }
        if (members.isEmpty()) {
            done();
            return;
        }
        Mono<byte[]> answered = router.respond(new RpcBatch(members)).contextWrite(context);
        if (handlerScheduler != null) {
            answered = answered.subscribeOn(handlerScheduler);
        }
        AtomicBoolean once = new AtomicBoolean();
        answered.subscribe(frame -> {
            if (once.compareAndSet(false, true)) {
                reply(frame);
            }
        }, e -> {
            LOG.error("{}: answering a batch failed", name, e);
            if (once.compareAndSet(false, true)) {
                done();
            }
        }, () -> {
            if (once.compareAndSet(false, true)) {
                done();
            }
        });
    }

    // --------------------------------------------------------------------------------------------------- close

    /** The other side stopped sending: once the work in flight is done, the peer may close. */
    void onEnd() {
        ended = true;
        if (inFlight() == 0) {
            onIdleAfterEnd.run();
        }
    }

    /** Stops every running handler and stream; their units come back, nothing more is sent for them. */
    void closeAll() {
        closed = true;
        for (InboundCall c : List.copyOf(running.values())) {
            c.dispose();
        }
        for (RpcId id : List.copyOf(producers.keySet())) {
            OpenStream s = producers.remove(id);
            if (s != null) {
                s.cancel();
            }
        }
    }
}
