package dev.plumb.coworker.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one coworker run, in total and per queue: items claimed, running, finished ok, retried, failed, lost
 * to failed batches, batches run, and task times. Read by the progress display and the summary.
 *
 * <p>A task's time is its batch's {@code runItems} time (from the request to the reply; waiting for and starting
 * a pipe not included) shared evenly among the batch's tasks: {@code Queue.runItems} reports no time per item.
 */
public final class WorkerStats {

    final AtomicLong claimed = new AtomicLong();
    final AtomicLong running = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong retry = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong other = new AtomicLong();
    final AtomicLong batchErrors = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    private final TaskTimes times = new TaskTimes();
    private final Map<String, QueueStats> queues = new ConcurrentSkipListMap<>();
    private final long startNanos = System.nanoTime();

    /** The counters of one queue. */
    public static final class QueueStats {
        final String name;
        final AtomicLong claimed = new AtomicLong();
        final AtomicLong running = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong retry = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong other = new AtomicLong();
        final AtomicLong batchErrors = new AtomicLong();
        final TaskTimes times = new TaskTimes();

        QueueStats(String name) {
            this.name = name;
        }

        /** The queue's name. */
        public String name() {
            return name;
        }

        /** Items claimed from this queue. */
        public long claimed() {
            return claimed.get();
        }

        /** Items of this queue in batches now running. */
        public long running() {
            return running.get();
        }

        /** Runs finished (any outcome, retries included). */
        public long done() {
            return ok.get() + retry.get() + failed.get() + other.get();
        }

        /** Runs finished ok. */
        public long ok() {
            return ok.get();
        }

        /** Runs that failed and will be retried. */
        public long retry() {
            return retry.get();
        }

        /** Runs that failed for good ({@code fail} or {@code abort}). */
        public long failed() {
            return failed.get();
        }

        /** Runs with another outcome. */
        public long other() {
            return other.get();
        }

        /** Items whose batch failed (they come back when their lease expires). */
        public long batchErrors() {
            return batchErrors.get();
        }

        /** The task-time percentile {@code p} (0–100) in milliseconds, or -1 before the first run. */
        public double taskMillis(double p) {
            return times.percentileMillis(p);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queue", name);
            m.put("claimed", claimed());
            m.put("done", done());
            m.put("ok", ok());
            m.put("retry", retry());
            m.put("failed", failed());
            m.put("otherOutcomes", other());
            m.put("itemsInFailedBatches", batchErrors());
            m.put("taskP50Ms", round(taskMillis(50)));
            m.put("taskP95Ms", round(taskMillis(95)));
            return m;
        }
    }

    /** The counters of {@code queue}, created on first use. */
    public QueueStats queue(String queue) {
        return queues.computeIfAbsent(queue, QueueStats::new);
    }

    /** Every queue seen so far, by name. */
    public List<QueueStats> queues() {
        return new ArrayList<>(queues.values());
    }

    void claimed(String queue, long n) {
        claimed.addAndGet(n);
        queue(queue).claimed.addAndGet(n);
    }

    void running(String queue, long delta) {
        running.addAndGet(delta);
        queue(queue).running.addAndGet(delta);
    }

    void batchFailed(String queue, long items) {
        batchErrors.addAndGet(items);
        queue(queue).batchErrors.addAndGet(items);
    }

    /** Records a finished run of {@code queue} with {@code outcome} that took {@code nanos}. */
    void outcome(String queue, String outcome, long nanos) {
        QueueStats q = queue(queue);
        switch (outcome) {
            case "ok" -> {
                ok.incrementAndGet();
                q.ok.incrementAndGet();
            }
            case "retry" -> {
                retry.incrementAndGet();
                q.retry.incrementAndGet();
            }
            case "fail", "abort" -> {
                failed.incrementAndGet();
                q.failed.incrementAndGet();
            }
            default -> {
                other.incrementAndGet();
                q.other.incrementAndGet();
            }
        }
        times.record(nanos);
        q.times.record(nanos);
    }

    /** Items claimed. */
    public long claimed() {
        return claimed.get();
    }

    /** Items in batches now running. */
    public long running() {
        return running.get();
    }

    /** Runs finished ok. */
    public long ok() {
        return ok.get();
    }

    /** Runs that failed and will be retried. */
    public long retry() {
        return retry.get();
    }

    /** Runs that failed for good. */
    public long failed() {
        return failed.get();
    }

    /** Runs with another outcome. */
    public long other() {
        return other.get();
    }

    /** Items in failed batches. */
    public long batchErrors() {
        return batchErrors.get();
    }

    /** Batches run. */
    public long batches() {
        return batches.get();
    }

    /** The task-time percentile {@code p} (0–100) over all queues in milliseconds, or -1 before the first run. */
    public double taskMillis(double p) {
        return times.percentileMillis(p);
    }

    /** Items whose run finished (any outcome). */
    public long done() {
        return ok.get() + retry.get() + failed.get() + other.get();
    }

    /** Finished runs per second since the start. */
    public double rate() {
        double s = (System.nanoTime() - startNanos) / 1e9;
        return s <= 0 ? 0 : done() / s;
    }

    /** Seconds since the start. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** One progress line: claimed, running, done, retry, failed, rate. */
    public String progressLine() {
        return String.format(java.util.Locale.ROOT,
                "claimed %d | running %d | done %d (ok %d) | retry %d | failed %d | batch errors %d | %.1f/s",
                claimed.get(), running.get(), done(), ok.get(), retry.get(), failed.get(), batchErrors.get(), rate());
    }

    /** The counters as a map (for JSON logs and the summary), with one entry per queue under {@code queues}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claimed", claimed.get());
        m.put("running", running.get());
        m.put("done", done());
        m.put("ok", ok.get());
        m.put("retry", retry.get());
        m.put("failed", failed.get());
        m.put("otherOutcomes", other.get());
        m.put("itemsInFailedBatches", batchErrors.get());
        m.put("batches", batches.get());
        m.put("taskP50Ms", round(taskMillis(50)));
        m.put("taskP95Ms", round(taskMillis(95)));
        m.put("seconds", Math.round(elapsedSeconds() * 10) / 10.0);
        m.put("perSecond", Math.round(rate() * 10) / 10.0);
        List<Map<String, Object>> qs = new ArrayList<>();
        for (QueueStats q : queues.values()) {
            qs.add(q.toMap());
        }
        m.put("queues", qs);
        return m;
    }

    private static double round(double ms) {
        return ms < 0 ? -1 : ms < 10 ? Math.round(ms * 100) / 100.0 : Math.round(ms * 10) / 10.0;
    }

    /**
     * A histogram of task times in buckets 5 % apart (1 µs to about 90 minutes), so percentiles cost a fixed 2 KB
     * whatever the number of tasks, and are within 5 %.
     */
    static final class TaskTimes {
        private static final double GROWTH = 1.05;
        private static final int BUCKETS = 460;
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
        private final AtomicLong total = new AtomicLong();

        void record(long nanos) {
            double micros = Math.max(1, nanos / 1000.0);
            int b = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros) / Math.log(GROWTH)));
            counts.incrementAndGet(b);
            total.incrementAndGet();
        }

        double percentileMillis(double p) {
            long n = total.get();
            if (n == 0) {
                return -1;
            }
            long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
            long seen = 0;
            for (int b = 0; b < BUCKETS; b++) {
                seen += counts.get(b);
                if (seen >= rank) {
                    // the bucket's geometric middle
                    return Math.pow(GROWTH, b + 0.5) / 1000.0;
                }
            }
            return Math.pow(GROWTH, BUCKETS) / 1000.0;
        }
    }
}
