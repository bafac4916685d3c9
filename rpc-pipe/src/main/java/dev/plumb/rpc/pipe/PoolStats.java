package dev.plumb.rpc.pipe;

/**
 * A snapshot of a {@link PipePool}.
 *
 * @param busy     pipes doing work now
 * @param idle     ready pipes waiting for work
 * @param starting pipes being started (and initialised)
 * @param waiting  units of work queued for a pipe
 * @param started  pipes started so far (successfully or not)
 * @param retired  pipes retired so far (requests, age, idle time, eviction for another context, or death)
 * @param failed   pipes that failed to start or to initialise
 */
public record PoolStats(int busy, int idle, int starting, int waiting, long started, long retired, long failed) {

    /** Pipes alive or coming: busy + idle + starting. */
    public int live() {
        return busy + idle + starting;
    }
}
