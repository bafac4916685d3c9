package dev.plumb.rpc.pipe;

/**
 * Whether a {@link Coprocess} whose child exited (or failed to start) is started again: {@link #never()},
 * {@link #unlimited()}, or at most {@link #times(int) n} times over its life.
 */
public final class RestartPolicy {

    private static final RestartPolicy NEVER = new RestartPolicy(0);
    private static final RestartPolicy UNLIMITED = new RestartPolicy(Integer.MAX_VALUE);

    private final int maxRestarts;

    private RestartPolicy(int maxRestarts) {
        this.maxRestarts = maxRestarts;
    }

    /** Never restart: when the child exits, the coprocess is over. */
    public static RestartPolicy never() {
        return NEVER;
    }

    /** Always restart (after the restart delay). */
    public static RestartPolicy unlimited() {
        return UNLIMITED;
    }

    /** Restart at most {@code n} times in all. */
    public static RestartPolicy times(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0");
        }
        return n == 0 ? NEVER : new RestartPolicy(n);
    }

    /** Whether another restart is allowed after {@code restartsSoFar} restarts. */
    public boolean allowsRestart(int restartsSoFar) {
        return restartsSoFar < maxRestarts;
    }

    @Override
    public String toString() {
        return maxRestarts == 0 ? "never" : maxRestarts == Integer.MAX_VALUE ? "unlimited" : maxRestarts + " times";
    }
}
