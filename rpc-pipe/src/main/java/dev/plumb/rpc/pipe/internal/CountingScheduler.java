package dev.plumb.rpc.pipe.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/** A scheduler that runs tasks on another and counts those scheduled but not yet finished. */
public final class CountingScheduler implements Scheduler {

    private final Scheduler delegate;
    private final AtomicInteger active = new AtomicInteger();

    /** Counts the tasks run on {@code delegate}. */
    public CountingScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    /** Tasks scheduled and not yet finished (or cancelled). */
    public int active() {
        return active.get();
    }

    private Runnable counted(Runnable task) {
        active.incrementAndGet();
        return () -> {
            try {
                task.run();
            } finally {
                active.decrementAndGet();
            }
        };
    }

    @Override
    public Disposable schedule(Runnable task) {
        return delegate.schedule(counted(task));
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return delegate.schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return delegate.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public Worker createWorker() {
        Worker w = delegate.createWorker();
        return new Worker() {
            @Override
            public Disposable schedule(Runnable task) {
                return w.schedule(counted(task));
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                return w.schedule(task, delay, unit);
            }

            @Override
            public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
                return w.schedulePeriodically(task, initialDelay, period, unit);
            }

            @Override
            public void dispose() {
                w.dispose();
            }

            @Override
            public boolean isDisposed() {
                return w.isDisposed();
            }
        };
    }

    @Override
    public long now(TimeUnit unit) {
        return delegate.now(unit);
    }

    @Override
    public void dispose() {
        // the delegate belongs to someone else
    }

    @Override
    public void init() {
        delegate.init();
    }
}
