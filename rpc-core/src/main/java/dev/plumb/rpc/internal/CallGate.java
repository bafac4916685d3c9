package dev.plumb.rpc.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets at most {@code max} outbound calls be in flight; the rest wait in order and are sent as slots free.
 * Lock-free: callers never block, the thread that frees a slot sends the next call.
 */
public final class CallGate {

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    /** A gate of {@code max} slots. */
    public CallGate(int max) {
        this.max = max;
    }

    /** Runs {@code send} now if a slot is free, else when one frees; the run holds a slot until {@link #release()}. */
    public void submit(Runnable send) {
        waiting.offer(send);
        drain();
    }

    /** Frees a slot taken by a submitted run. */
    public void release() {
        inFlight.decrementAndGet();
        drain();
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int n = inFlight.get();
            if (n >= max) {
                return;
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
