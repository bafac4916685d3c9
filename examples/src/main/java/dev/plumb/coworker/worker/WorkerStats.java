package dev.plumb.coworker.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one coworker run: items claimed, running, finished ok, retried, failed, lost to failed batches,
 * and batches run. Read by the progress line and the summary.
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
    private final long startNanos = System.nanoTime();

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

    /** The counters as a map (for JSON logs and the summary). */
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
        m.put("seconds", Math.round(elapsedSeconds() * 10) / 10.0);
        m.put("perSecond", Math.round(rate() * 10) / 10.0);
        return m;
    }
}
