package dev.plumb.rpc.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * The outbound frames of one connection: a multi-producer queue that the transport drains as fast as it can
 * write (its demand), with a soft bound on the frames and bytes waiting.
 *
 * <p>Two kinds of frames come in. Frames whose number is bounded elsewhere (replies, whose count the inbound
 * limit bounds; cancels and stream demand) are {@linkplain #put put} at once. Frames the local application starts
 * (calls, notifications, batches) {@linkplain #whenRoom wait for room}: they are let in, in order, only while the
 * queue is under its bounds, so a transport that stops taking frames stops the local senders instead of growing
 * memory. Nobody ever blocks: waiting is a queued callback.
 *
 * <p>A frame may carry an action run once the transport has taken it ({@link #put(byte[], Runnable)}): how a
 * reply hands back the inbound capacity it held.
 */
public final class Outbox implements Publisher<byte[]>, Subscription {

    private final int maxFrames;
    private final long maxBytes;
    private final Queue<Object> queue = Queues.unboundedMultiproducer().get();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger admitting = new AtomicInteger();
    private volatile Subscriber<? super byte[]> actual;
    private volatile boolean completed;
    private volatile boolean cancelled;
    private volatile Throwable refusal;

    /** An outbox that lets local senders in while fewer than {@code maxFrames} frames and {@code maxBytes} wait. */
    public Outbox(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** A frame and what to run once the transport has taken it. */
    private record Tracked(byte[] frame, Runnable onTaken) {
    }

    /** Queues {@code frame} regardless of the bounds: for frames whose number is bounded elsewhere. */
    public void put(byte[] frame) {
        enqueue(frame, frame.length);
    }

    /** Queues {@code frame}; {@code onTaken} runs once the transport has taken it (or the outbox was dropped). */
    public void put(byte[] frame, Runnable onTaken) {
        enqueue(new Tracked(frame, onTaken), frame.length);
    }

    private void enqueue(Object entry, int size) {
        if (wip.get() == 0 && wip.compareAndSet(0, 1)) {
            // nobody is delivering: when nothing is queued and the transport wants a frame, hand it over at once
            Subscriber<? super byte[]> a = actual;
            long r = requested.get();
            if (a != null && r != 0 && !cancelled && queue.isEmpty()) {
                if (r != Long.MAX_VALUE) {
                    requested.decrementAndGet();
                }
                deliver(entry, a);
            } else {
                frames.incrementAndGet();
                bytes.addAndGet(size);
                queue.offer(entry);
            }
            drainLoop();
            return;
        }
        frames.incrementAndGet();
        bytes.addAndGet(size);
        queue.offer(entry);
        drain();
    }

    /** Whether the queue is under both bounds. */
    public boolean hasRoom() {
        return frames.get() < maxFrames && bytes.get() < maxBytes;
    }

    /** Frames waiting for the transport. */
    public int queuedFrames() {
        return frames.get();
    }

    /** Bytes waiting for the transport. */
    public long queuedBytes() {
        return bytes.get();
    }

    /** Local senders waiting for room. */
    public int waitingSenders() {
        return waiting.get();
    }

    /**
     * Runs {@code send} (which puts its frame) as soon as there is room and every earlier waiter has run: at once
     * when possible, else on the thread that makes room. When the outbox is closed first, {@code refused} gets the
     * reason instead. A waiter that no longer wants to send should make {@code send} do nothing.
     */
    public void whenRoom(Runnable send, Consumer<Throwable> refused) {
        Throwable r = refusal;
        if (r != null) {
            refused.accept(r);
            return;
        }
        if (waiting.get() == 0 && hasRoom()) {
            send.run();
            return;
        }
        waiting.incrementAndGet();
        waiters.offer(new Waiter(send, refused));
        admit();
        r = refusal;
        if (r != null) {
            refuseWaiters(r);
        }
    }

    /** Completes when a local sender may put a frame (see {@link #whenRoom}); errors when the outbox closed. */
    public reactor.core.publisher.Mono<Void> room() {
        return reactor.core.publisher.Mono.create(sink -> whenRoom(sink::success, sink::error));
    }

    private record Waiter(Runnable send, Consumer<Throwable> refused) implements Runnable {
        @Override
        public void run() {
            send.run();
        }
    }

    /** Lets waiters in while there is room; one thread at a time, so they go in the order they came. */
    private void admit() {
        if (admitting.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (hasRoom()) {
                Runnable w = waiters.poll();
                if (w == null) {
                    break;
                }
                waiting.decrementAndGet();
                w.run();
            }
            missed = admitting.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Ends the frames once everything queued has been taken; waiting senders are refused with {@code reason}. */
    public void complete(Throwable reason) {
        refusal = reason;
        refuseWaiters(reason);
        completed = true;
        drain();
    }

    private void refuseWaiters(Throwable reason) {
        Runnable w;
        while ((w = waiters.poll()) != null) {
            waiting.decrementAndGet();
            ((Waiter) w).refused().accept(reason);
        }
    }

    @Override
    public void subscribe(Subscriber<? super byte[]> s) {
        if (actual != null) {
            Operators.error(s, new IllegalStateException("the outbound frames may be subscribed to only once"));
            return;
        }
        actual = s;
        s.onSubscribe(this);
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            requested.getAndUpdate(r -> Operators.addCap(r, n));
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        drainLoop();
    }

    /** Delivers what the transport asked for until no one else has signalled meanwhile; the caller holds wip. */
    private void drainLoop() {
        int missed = 1;
        while (true) {
            Subscriber<? super byte[]> a = actual;
            if (cancelled) {
                dropAll();
            } else if (a != null) {
                long r = requested.get();
                long e = 0;
                while (e != r && !cancelled) {
                    Object o = queue.poll();
                    if (o == null) {
                        break;
                    }
                    e++;
                    taken(o, a);
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-e);
                }
                if (completed && queue.isEmpty() && !cancelled) {
                    cancelled = true; // terminal: nothing more is delivered
                    a.onComplete();
                }
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Hands a queued entry to the transport. */
    private void taken(Object o, Subscriber<? super byte[]> a) {
        frames.decrementAndGet();
        bytes.addAndGet(-(o instanceof byte[] b ? b : ((Tracked) o).frame()).length);
        deliver(o, a);
    }

    /** Hands an entry (queued or not) to the transport, runs its action, and lets waiting senders in. */
    private void deliver(Object o, Subscriber<? super byte[]> a) {
        byte[] frame;
        Runnable onTaken = null;
        if (o instanceof byte[] b) {
            frame = b;
        } else {
            Tracked t = (Tracked) o;
            frame = t.frame();
            onTaken = t.onTaken();
        }
        a.onNext(frame);
        if (onTaken != null) {
            onTaken.run();
        }
        if (waiting.get() != 0) {
            admit();
        }
    }

    /** The transport is gone: frames still queued are dropped (their actions run), waiting senders refused. */
    private void dropAll() {
        Object o;
        while ((o = queue.poll()) != null) {
            frames.decrementAndGet();
            if (o instanceof Tracked t) {
                bytes.addAndGet(-t.frame().length);
                t.onTaken().run();
            } else {
                bytes.addAndGet(-((byte[]) o).length);
            }
        }
        if (refusal == null) {
            refusal = new IllegalStateException("the connection stopped taking frames");
        }
        refuseWaiters(refusal);
    }
}
