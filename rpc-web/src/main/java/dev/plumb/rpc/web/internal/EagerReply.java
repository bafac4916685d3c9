package dev.plumb.rpc.web.internal;

import java.util.Objects;
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

    private final Context context;
    private Subscription upstream;
    private T value;
    private Throwable error;
    private boolean done;
    private MonoSink<T> sink;
    private boolean cancelled;

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
    public synchronized boolean isDone() {
        return done;
    }

    /** The value, or {@code null} when the source completed empty (valid once {@link #isDone()}). */
    public synchronized T value() {
        return value;
    }

    /** The failure, or {@code null} (valid once {@link #isDone()}). */
    public synchronized Throwable error() {
        return error;
    }

    /** The outcome as a {@code Mono} that relays it when it comes; cancelling it cancels the source. */
    public Mono<T> later() {
        return Mono.create(s -> {
            s.onCancel(this::cancel);
            boolean now;
            synchronized (this) {
                now = done;
                if (!now) {
                    sink = s;
                }
            }
            if (now) {
                deliver(s);
            }
        });
    }

    private void deliver(MonoSink<T> s) {
        if (error != null) {
            s.error(error);
        } else if (value != null) {
            s.success(value);
        } else {
            s.success();
        }
    }

    private void cancel() {
        Subscription s;
        synchronized (this) {
            cancelled = true;
            s = upstream;
        }
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        boolean cancel;
        synchronized (this) {
            if (!Operators.validate(upstream, s)) {
                return;
            }
            upstream = s;
            cancel = cancelled;
        }
        if (cancel) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(T t) {
        synchronized (this) {
            if (done) {
                Operators.onNextDropped(t, context);
                return;
            }
            value = t;
        }
        finish();
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            if (done) {
                Operators.onErrorDropped(t, context);
                return;
            }
            error = t;
        }
        finish();
    }

    @Override
    public void onComplete() {
        finish();
    }

    private void finish() {
        MonoSink<T> s;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            s = sink;
            sink = null;
        }
        if (s != null) {
            deliver(s);
        }
    }
}
