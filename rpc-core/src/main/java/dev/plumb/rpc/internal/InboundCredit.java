package dev.plumb.rpc.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * Reads a connection's inbound frames with at most {@code limit} of them in flight: one unit of demand per frame,
 * given back ({@link #release()}) when the frame's work is done. A peer whose replies are not read, or whose
 * handlers do not finish, is therefore read no further; the transport pushes back (a full pipe, a closed TCP
 * window) instead of memory growing.
 *
 * <p>Released units are requested again in small batches, to spare the transport a wake-up per frame, but never
 * held back while the transport has nothing left to deliver, so work can never stall waiting for them.
 */
public final class InboundCredit implements CoreSubscriber<byte[]> {

    /** The state packs the demand outstanding at the transport (high half) and released units not yet requested. */
    private final AtomicLong state = new AtomicLong();
    private final int limit;
    private final int batch;
    private final Consumer<byte[]> onFrame;
    private final Consumer<Throwable> onError;
    private final Runnable onComplete;
    private final Context context;
    private volatile Subscription subscription;

    /** Delivers frames to {@code onFrame} on the transport's thread, at most {@code limit} unreleased. */
    public InboundCredit(int limit, Consumer<byte[]> onFrame, Consumer<Throwable> onError, Runnable onComplete,
                         Context context) {
        this.limit = limit;
        this.batch = Math.max(1, Math.min(32, limit / 4));
        this.onFrame = onFrame;
        this.onError = onError;
        this.onComplete = onComplete;
        this.context = context;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        state.set(pack(limit, 0));
        s.request(limit);
    }

    @Override
    public void onNext(byte[] frame) {
        long toRequest;
        while (true) {
            long st = state.get();
            int outstanding = outstanding(st) - 1;
            int unrequested = unrequested(st);
            long next;
            if (outstanding <= 0 && unrequested > 0) {
                next = pack(unrequested, 0);
                toRequest = unrequested;
            } else {
                next = pack(Math.max(outstanding, 0), unrequested);
                toRequest = 0;
            }
            if (state.compareAndSet(st, next)) {
                break;
            }
        }
        if (toRequest > 0) {
            subscription.request(toRequest);
        }
        onFrame.accept(frame);
    }

    /** Gives back the unit of one frame whose work is done. */
    public void release() {
        long toRequest;
        while (true) {
            long st = state.get();
            int outstanding = outstanding(st);
            int unrequested = unrequested(st) + 1;
            long next;
            if (outstanding == 0 || unrequested >= batch) {
                next = pack(outstanding + unrequested, 0);
                toRequest = unrequested;
            } else {
                next = pack(outstanding, unrequested);
                toRequest = 0;
            }
            if (state.compareAndSet(st, next)) {
                break;
            }
        }
        if (toRequest > 0) {
            Subscription s = subscription;
            if (s != null) {
                s.request(toRequest);
            }
        }
    }

    /** Frames delivered whose work is not done yet. */
    public int inFlight() {
        long st = state.get();
        return limit - outstanding(st) - unrequested(st);
    }

    @Override
    public void onError(Throwable t) {
        onError.accept(t);
    }

    @Override
    public void onComplete() {
        onComplete.run();
    }

    /** Stops reading. */
    public void cancel() {
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    private static long pack(int outstanding, int unrequested) {
        return ((long) outstanding << 32) | (unrequested & 0xFFFFFFFFL);
    }

    private static int outstanding(long state) {
        return (int) (state >>> 32);
    }

    private static int unrequested(long state) {
        return (int) state;
    }
}
