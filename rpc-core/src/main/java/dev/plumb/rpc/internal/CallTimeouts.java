package dev.plumb.rpc.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The timeouts of one peer's outbound calls, watched by one periodic sweep instead of a timer per call: a call
 * only records its deadline, and the sweep (on {@link Schedulers#parallel()}, every 1/20 of the shortest timeout
 * seen, between 1 ms and 1 s) expires those whose deadline has passed. A call therefore times out between its
 * timeout and about 5 % later. Deadlines are read from the scheduler's clock, so reactor-test's virtual time
 * drives them as it drives {@code Mono.timeout}. The sweep stops while nothing is pending, so an idle peer costs
 * no timer.
 */
public final class CallTimeouts {

    private static final long MIN_PERIOD = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PERIOD = TimeUnit.SECONDS.toNanos(1);

    /** Something with a deadline. */
    public interface Timed {
        /** Sets the deadline, in {@link TimeUnit#NANOSECONDS} of the sweep's clock. */
        void deadline(long nanos);
    }

    private final LongConsumer expire;
    private final BooleanSupplier anyPending;
    private volatile Sweep sweep;
    private boolean stopped;

    /**
     * Timeouts whose sweep calls {@code expire} with the clock's current time, and pauses while {@code anyPending}
     * is false. Calls must be pending before they are {@linkplain #arm armed}.
     */
    public CallTimeouts(LongConsumer expire, BooleanSupplier anyPending) {
        this.expire = expire;
        this.anyPending = anyPending;
    }

    private record Sweep(Scheduler scheduler, long period, Disposable task) {
    }

    /** Records {@code timed}'s deadline, {@code timeout} from now, and makes sure a sweep watches it. */
    public void arm(Timed timed, Duration timeout) {
        Scheduler scheduler = Schedulers.parallel();
        long nanos = timeout.toNanos();
        long wanted = Math.max(MIN_PERIOD, Math.min(MAX_PERIOD, nanos / 20));
        Sweep s = sweep;
        if (s == null || s.scheduler() != scheduler || s.period() > wanted) {
            s = restart(scheduler, wanted);
            if (s == null) {
                return; // stopped: the peer is closing and fails the call itself
            }
        }
        timed.deadline(scheduler.now(TimeUnit.NANOSECONDS) + nanos);
    }

    private synchronized Sweep restart(Scheduler scheduler, long wanted) {
        if (stopped) {
            return null;
        }
        Sweep s = sweep;
        if (s != null && s.scheduler() == scheduler && s.period() <= wanted) {
            return s;
        }
        if (s != null) {
            s.task().dispose();
        }
        long period = s != null && s.scheduler() == scheduler ? Math.min(s.period(), wanted) : wanted;
        Disposable.Swap task = reactor.core.Disposables.swap();
        s = new Sweep(scheduler, period, task);
        Sweep self = s;
        sweep = s;
        task.update(scheduler.schedulePeriodically(() -> run(self, scheduler), period, period, TimeUnit.NANOSECONDS));
        return s;
    }

    private void run(Sweep self, Scheduler scheduler) {
        expire.accept(scheduler.now(TimeUnit.NANOSECONDS));
        if (!anyPending.getAsBoolean()) {
            pause(self, scheduler);
        }
    }

    /** Nothing pending: the sweep stops; a call armed meanwhile is caught by the check after it. */
    private void pause(Sweep self, Scheduler scheduler) {
        synchronized (this) {
            if (sweep != self) {
                return;
            }
            sweep = null;
            self.task().dispose();
        }
        if (anyPending.getAsBoolean()) {
            restart(scheduler, self.period());
        }
    }

    /** Stops sweeping; later {@link #arm} calls record nothing. */
    public synchronized void stop() {
        stopped = true;
        Sweep s = sweep;
        if (s != null) {
            s.task().dispose();
        }
    }
}
