package dev.plumb.rpc.pipe.internal;

import dev.plumb.rpc.FrameDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * Reads a blocking {@link InputStream} on its own daemon thread, splits it into frames and hands them to Reactor
 * only as fast as they are requested: when the subscriber has no demand the reading thread waits (and the child,
 * its pipe full, waits in turn); the subscriber is never blocked. Buffering is bounded by one read's worth of
 * frames.
 */
public final class InboundFrames implements Runnable {

    /** What the header phase did with a frame. */
    public enum HeaderStep {
        /** The frame was consumed (skipped noise); the next frame goes to the header phase too. */
        WAIT,
        /** The frame was the header and is consumed; the header phase is over. */
        CONSUMED,
        /** The frame is no header: the header phase is over and the frame is delivered as usual. */
        PASS_ON,
        /** The frame is delivered as usual, and the next frame goes to the header phase too. */
        PASS_ON_AND_WAIT
    }


    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final InputStream in;
    private final FrameDecoder decoder;
    private final Function<byte[], HeaderStep> headerPhase;
    private final Predicate<byte[]> keep;
    private final Function<Throwable, Throwable> endReason;
    private final BooleanSupplier discardWhenUnsubscribed;
    private final Runnable onCancel;
    private final Runnable afterEnd;
    private volatile Runnable beforeRead = () -> { };
    private final Thread thread;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean afterEndDone = new AtomicBoolean();
    private final Object lock = new Object();
    private final Frames frames = new Frames();
    private final AtomicLong requested = new AtomicLong();

    private boolean inHeader;
    private volatile CoreSubscriber<? super byte[]> sink;
    private volatile boolean cancelled;
    private boolean terminated;
    private Throwable terminalError;

    /**
     * A reader of {@code in}.
     *
     * @param headerPhase             when not null, frames go to it first while it answers {@link HeaderStep#WAIT}
     * @param keep                    when not null, frames it rejects are dropped
     * @param endReason               called on the reading thread at end of stream with the read error (or null);
     *                                returns the error to signal downstream, or null to complete
     * @param discardWhenUnsubscribed whether frames may be dropped when nobody subscribed (the pipe is closing)
     * @param onCancel                run when the subscriber cancels
     * @param afterEnd                run once after the end of input was delivered downstream (or at once when
     *                                nobody subscribed or the subscriber cancelled)
     */
    public InboundFrames(InputStream in, FrameDecoder decoder, Function<byte[], HeaderStep> headerPhase, Predicate<byte[]> keep,
                         Function<Throwable, Throwable> endReason, BooleanSupplier discardWhenUnsubscribed,
                         Runnable onCancel, Runnable afterEnd, String threadName) {
        this.in = in;
        this.decoder = decoder;
        this.headerPhase = headerPhase;
        this.inHeader = headerPhase != null;
        this.keep = keep;
        this.endReason = endReason;
        this.discardWhenUnsubscribed = discardWhenUnsubscribed;
        this.onCancel = onCancel;
        this.afterEnd = afterEnd;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * The frames as a {@link Flux} handing each frame straight to the subscriber on the reading thread, and only
     * while it has demand (so no queue is needed between the two).
     */
    private final class Frames extends Flux<byte[]> implements Subscription {
        @Override
        public void subscribe(CoreSubscriber<? super byte[]> actual) {
            attach(actual);
        }

        @Override
        public void request(long n) {
            if (Operators.validate(n)) {
                requested.getAndUpdate(r -> Operators.addCap(r, n));
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            LockSupport.unpark(thread);
            onCancel.run();
        }
    }

    /** Starts the reading thread. */
    public void start() {
        thread.start();
    }

    /** The reading thread. */
    public Thread thread() {
        return thread;
    }

    /**
     * Runs {@code hook} on the reading thread before each blocking read and before waiting for demand (e.g. to
     * flush direct writes).
     */
    public void beforeRead(Runnable hook) {
        this.beforeRead = hook;
    }

    /** The frames; may be subscribed to once. */
    public Flux<byte[]> frames() {
        return frames;
    }

    private void attach(CoreSubscriber<? super byte[]> s) {
        if (!subscribed.compareAndSet(false, true)) {
            Operators.error(s, new IllegalStateException("the inbound frames of a pipe may be subscribed to only once"));
            return;
        }
        s.onSubscribe(frames);
        synchronized (lock) {
            if (terminated) {
                if (!cancelled) {
                    signalEnd(s, terminalError);
                }
                runAfterEnd();
                return;
            }
            sink = s;
        }
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        Throwable failure = null;
        byte[] buf = new byte[65536];
        try {
            int n;
            while (true) {
                beforeRead.run();
                n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    decoder.feed(buf, 0, n, this::deliver);
                }
            }
            decoder.end(this::deliver);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // an OutOfMemoryError here escaped the decoder and the code it delivers to (which answer lack of
            // memory themselves): the stream's state is unknown, so it ends with the error instead of a dead thread
            failure = e;
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        Throwable reason = endReason.apply(failure);
        CoreSubscriber<? super byte[]> s;
        synchronized (lock) {
            terminated = true;
            terminalError = reason;
            s = sink;
        }
        if (s != null && !cancelled) {
            signalEnd(s, reason); // then afterEnd, as the subscriber has seen the end
        }
        runAfterEnd();
    }

    private void runAfterEnd() {
        if (afterEndDone.compareAndSet(false, true)) {
            afterEnd.run();
        }
    }

    private static void signalEnd(CoreSubscriber<? super byte[]> s, Throwable reason) {
        if (reason == null) {
            s.onComplete();
        } else {
            s.onError(reason);
        }
    }

    private void deliver(byte[] frame) {
        if (inHeader) {
            HeaderStep step = headerPhase.apply(frame);
            inHeader = step == HeaderStep.WAIT || step == HeaderStep.PASS_ON_AND_WAIT;
            if (step == HeaderStep.WAIT || step == HeaderStep.CONSUMED) {
                return;
            }
        }
        if (keep != null && !keep.test(frame)) {
            return;
        }
        while (true) {
            if (cancelled) {
                return; // nobody wants frames any more: drop them, keep the child's stdout drained
            }
            CoreSubscriber<? super byte[]> s = sink;
            if (s == null) {
                if (discardWhenUnsubscribed.getAsBoolean()) {
                    return;
                }
            } else if (requested.get() > 0) {
                if (requested.get() != Long.MAX_VALUE) {
                    requested.decrementAndGet();
                }
                s.onNext(frame);
                return;
            }
            beforeRead.run(); // about to wait for demand: what the hook would flush must not wait with us
            LockSupport.parkNanos(this, PARK_NANOS);
        }
    }
}
