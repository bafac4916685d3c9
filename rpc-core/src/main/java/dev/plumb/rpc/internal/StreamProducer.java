package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;
import reactor.util.context.ContextView;
import reactor.util.concurrent.Queues;

/**
 * The producing side of one stream: subscribes to the handler's items and requests from them the demand the
 * consumer sent ({@code $/stream/request}), never more, and only while the connection's {@link Outbox} has room:
 * a consumer that asks for everything but reads slowly gets items as fast as the transport takes them, not as
 * fast as the source makes them. Items produced in one burst go out together as one {@code $/stream/next} frame
 * (at most {@value #MAX_BATCH}); the end goes out as the response to {@code $/stream/open}.
 *
 * <p>All work (subscribing, requesting, flushing, finishing) runs on one worker of the handler scheduler, so a
 * synchronous source never runs on the transport's inbound thread and frames leave in order.
 */
public final class StreamProducer implements CoreSubscriber<Object>, Subscription {

    /** Most items in one {@code $/stream/next} frame. */
    static final int MAX_BATCH = 64;

    private final RpcId id;
    private final RawJson rawId;
    private final String method;
    private final RpcCodec codec;
    private final Outbox outbox;
    private final Runnable onDone;
    private final Scheduler.Worker worker;
    private final Context context;
    private final Queue<Object> buffer = Queues.unboundedMultiproducer().get();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Thread workerThread;
    private volatile Subscription upstream;
    private volatile boolean cancelled;
    // demand the consumer sent and upstream was not asked for yet; written on the worker only, read by credit()
    private volatile long remoteDemand;
    private final java.util.concurrent.atomic.AtomicLong outstanding = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean waitingForRoom = new AtomicBoolean();
    private volatile Disposable dispatch;
    private long count;

    /** A producer for stream {@code id} of {@code method}, writing frames to {@code outbox}. */
    public StreamProducer(RpcId id, String method, RpcCodec codec, Outbox outbox, Runnable onDone,
            Scheduler scheduler, ContextView context) {
        this.context = Context.of(context);
        this.id = id;
        this.rawId = RawJson.wrap(id.json(), 0, id.json().length);
        this.method = method;
        this.codec = codec;
        this.outbox = outbox;
        this.onDone = onDone;
        this.worker = scheduler.createWorker();
    }

    /** Runs the handler and subscribes to its items (a single value counts as a stream of one). */
    public void start(Mono<RpcReply> reply) {
        dispatch = reply.subscribe(r -> {
            Flux<?> items;
            if (r instanceof RpcReply.Stream s) {
                items = s.items();
            } else {
                Object v = ((RpcReply.Value) r).value();
                items = v == null ? Flux.empty() : Flux.just(v);
            }
            onWorker(() -> items.subscribe(this));
        }, this::onError);
    }

    /** The demand the consumer granted and this producer has not used yet (read from any thread: approximate). */
    public long credit() {
        return Operators.addCap(remoteDemand, outstanding.get());
    }

    /** Adds consumer demand; the items it releases are produced on the worker. */
    @Override
    public void request(long n) {
        onWorker(() -> remoteDemand = Operators.addCap(remoteDemand, n));
    }

    /**
     * Passes the consumer's demand upstream, at most {@value #MAX_BATCH} items outstanding and only while the
     * outbox has room; without room, it comes back when there is. On the worker.
     */
    private void pump() {
        Subscription s = upstream;
        if (s == null || cancelled) {
            return;
        }
        while (remoteDemand > 0) {
            long out = outstanding.get();
            if (out >= MAX_BATCH) {
                return; // the items asked for are still coming; onNext's flush pumps again
            }
            if (!outbox.hasRoom()) {
                if (waitingForRoom.compareAndSet(false, true)) {
                    outbox.whenRoom(() -> onWorker(() -> waitingForRoom.set(false)), e -> { });
                }
                return;
            }
            long k = Math.min(remoteDemand, MAX_BATCH - out);
            remoteDemand -= k;
            outstanding.addAndGet(k);
            s.request(k);
            flush();
        }
    }

    private void onWorker(Runnable task) {
        try {
            worker.schedule(() -> {
                workerThread = Thread.currentThread();
                try {
                    task.run();
                } finally {
                    workerThread = null;
                }
                flush();
                pump();
            });
        } catch (RuntimeException rejected) {
            // the worker is disposed: the stream was cancelled or finished
        }
    }

    /** The peer's context, so the items see what the handler saw (a principal, for example). */
    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s; // on the worker, like request(): demand that came first is pumped once the task ends
        if (cancelled) {
            s.cancel();
        }
    }

    private boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void onNext(Object item) {
        count++;
        outstanding.decrementAndGet();
        buffer.offer(item);
        if (Thread.currentThread() == workerThread) {
            if (buffer.size() >= MAX_BATCH) {
                flush();
            }
        } else if (flushScheduled.compareAndSet(false, true)) {
            onWorker(() -> flushScheduled.set(false));
        }
    }

    private void flush() {
        while (!buffer.isEmpty()) {
            List<Object> values = new ArrayList<>(Math.min(buffer.size(), MAX_BATCH));
            Object v;
            while (values.size() < MAX_BATCH && (v = buffer.poll()) != null) {
                values.add(v);
            }
            if (!isCancelled()) {
                outbox.put(codec.encodeNotification(StreamProtocol.NEXT, new StreamProtocol.Items(rawId, values)));
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        finish(() -> outbox.put(codec.encodeError(id, ErrorMapping.toError(method, t))));
    }

    @Override
    public void onComplete() {
        finish(() -> outbox.put(codec.encodeResult(id, Map.of("items", count))));
    }

    private void finish(Runnable sendFinal) {
        onWorker(() -> {
            flush();
            if (finished.compareAndSet(false, true)) {
                onDone.run();
                if (!isCancelled()) {
                    sendFinal.run();
                }
                worker.dispose();
            }
        });
    }

    @Override
    public void cancel() {
        Disposable d = dispatch;
        if (d != null) {
            d.dispose();
        }
        cancelled = true;
        Subscription s = upstream;
        if (s != null) {
            s.cancel();
        }
        worker.dispose();
    }
}
