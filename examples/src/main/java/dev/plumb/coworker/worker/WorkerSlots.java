package dev.plumb.coworker.worker;

import java.util.ArrayDeque;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * The worker slots a claim must hold: {@code workerCount} of them, handed out first come, first served, without
 * blocking. A claim is made only with a slot in hand, which bounds claimed-but-unfinished items by
 * {@code workerCount × batch_limit}.
 */
final class WorkerSlots {

    private final ArrayDeque<MonoSink<Boolean>> waiters = new ArrayDeque<>();
    private int free;
    private boolean closed;

    WorkerSlots(int count) {
        this.free = count;
    }

    /** Emits true with a slot held, or false once the slots are closed (stopping). */
    Mono<Boolean> acquire() {
        return Mono.create(sink -> {
            boolean granted;
            synchronized (this) {
                if (closed) {
                    granted = false;
                } else if (free > 0) {
                    free--;
                    granted = true;
                } else {
                    waiters.add(sink);
                    sink.onCancel(() -> {
                        synchronized (this) {
                            waiters.remove(sink);
                        }
                    });
                    return;
                }
            }
            sink.success(granted);
        });
    }

    /** Gives a slot back (to the first waiter, if any). */
    void release() {
        MonoSink<Boolean> next;
        synchronized (this) {
            next = closed ? null : waiters.poll();
            if (next == null) {
                free++;
                return;
            }
        }
        next.success(true);
    }

    /** Refuses further slots; waiters get false. */
    void close() {
        ArrayDeque<MonoSink<Boolean>> w;
        synchronized (this) {
            closed = true;
            w = new ArrayDeque<>(waiters);
            waiters.clear();
        }
        w.forEach(s -> s.success(false));
    }
}
