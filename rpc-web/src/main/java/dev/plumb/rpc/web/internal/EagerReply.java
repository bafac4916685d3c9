package dev.plumb.rpc.web.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Subscribes to a {@code Mono} at once and, when it finishes during that subscription (a handler that answers
 * synchronously on the event loop, the common case), hands its outcome over without any operator; otherwise the
 * outcome is relayed later through {@link #later()}. Saves the per-request operator chain for synchronous answers.
 *
 * @param <T> the value type
 */
public final class EagerReply<T> implements CoreSubscriber<T> {

    /** The outcome of a source that completed empty. */
    private static final Object EMPTY = new Object();

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<EagerReply, Subscription> UPSTREAM =
            AtomicReferenceFieldUpdater.newUpdater(EagerReply.class, Subscription.class, "upstream");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<EagerReply> DELIVERED =
            AtomicIntegerFieldUpdater.newUpdater(EagerReply.class, "delivered");

    private final Context context;
    private volatile Subscription upstream;
    private T value; // written by onNext, published by the volatile write of outcome
    /** {@code null} while pending; then the value, {@link #EMPTY}, or a {@link Failure}. */
    private volatile Object outcome;
    private volatile MonoSink<T> sink;
    private volatile int delivered;

    /** A failure as an outcome. */
    private record Failure(Throwable error) {
    }

    private EagerReply(Context context) {
        this.context = context;
    }

    /** Subscribes to {@code source} with {@code context} now. */
    public static <T> EagerReply<T> subscribe(Mono<T> source, Context context) {
        EagerReply<T> reply = new EagerReply<>(Objects.requireNonNull(context, "context"));
        source.subscribe(reply);
        return reply;
    }

    /** Whether the outcome is already known ({@link #value()} or {@link #error()}). */
    public boolean isDone() {
        return outcome != null;
    }

    /** The value, or {@code null} when the source completed empty or failed (valid once {@link #isDone()}). */
    @SuppressWarnings("unchecked")
    public T value() {
        Object o = outcome;
        return o == EMPTY || o instanceof Failure ? null : (T) o;
    }

    /** The failure, or {@code null} (valid once {@link #isDone()}). */
    public Throwable error() {
        return outcome instanceof Failure f ? f.error() : null;
    }

    /** The outcome as a {@code Mono} that relays it when it comes; cancelling it cancels the source. */
    public Mono<T> later() {
        return Mono.create(s -> {
            s.onCancel(this::cancel);
            sink = s;
            if (outcome != null) {
                deliver(s);
            }
        });
    }

    private void deliver(MonoSink<T> s) {
        if (!DELIVERED.compareAndSet(this, 0, 1)) {
            return; // the other side of the race delivered it
        }
        Object o = outcome;
        if (o instanceof Failure f) {
            s.error(f.error());
        } else if (o == EMPTY) {
            s.success();
        } else {
            @SuppressWarnings("unchecked")
            T t = (T) o;
            s.success(t);
        }
    }

    private void cancel() {
        Subscription s = UPSTREAM.getAndSet(this, Operators.cancelledSubscription());
        if (s != null && s != Operators.cancelledSubscription()) {
            s.cancel();
        }
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.setOnce(UPSTREAM, this, s)) {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(T t) {
        if (value != null || outcome != null) {
            Operators.onNextDropped(t, context);
            return;
        }
        value = t;
    }

    @Override
    public void onError(Throwable t) {
        if (outcome != null) {
            Operators.onErrorDropped(t, context);
            return;
        }
        finish(new Failure(t));
    }

    @Override
    public void onComplete() {
        if (outcome == null) {
            finish(value != null ? value : EMPTY);
        }
    }

    private void finish(Object o) {
        outcome = o; // Reactive Streams signals are serial: no other terminal signal races with this one
        MonoSink<T> s = sink;
        if (s != null) {
            deliver(s);
        }
    }
}
