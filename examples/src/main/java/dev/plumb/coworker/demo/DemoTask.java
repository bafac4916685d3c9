package dev.plumb.coworker.demo;

import java.util.Locale;

/**
 * The kinds of demo task a queue item can hold, and how each runs.
 *
 * <p>{@code noop} returns at once; {@code sleep} waits {@code args} milliseconds (I/O-bound work);
 * {@code cpu} hashes {@code args} rounds (CPU work); {@code fail_once} fails on its first attempt and succeeds
 * after; {@code always_fail} always fails.
 */
public enum DemoTask {
    /** Does nothing. */
    NOOP,
    /** Sleeps {@code args} milliseconds. */
    SLEEP,
    /** Burns CPU for {@code args} rounds of hashing. */
    CPU,
    /** Fails on the first attempt, succeeds on later ones. */
    FAIL_ONCE,
    /** Fails every attempt. */
    ALWAYS_FAIL;

    /** The kind stored in the database for {@code name} ({@code "sleep"}, {@code "fail_once"}, …). */
    public static DemoTask of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The name stored in the database. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Runs the task for its {@code attempt}-th time (1 = first); returns whether it succeeded.
     *
     * @throws InterruptedException when the pipe is stopped while sleeping
     */
    public boolean run(String args, int attempt) throws InterruptedException {
        switch (this) {
            case NOOP:
                return true;
            case SLEEP:
                Thread.sleep(parse(args, 50));
                return true;
            case CPU:
                long rounds = parse(args, 20_000);
                long h = 1125899906842597L;
                for (long i = 0; i < rounds; i++) {
                    h = 31 * h + (i ^ (h >>> 7));
                }
                return h != 42; // always true; keeps the loop from being optimised away
            case FAIL_ONCE:
                return attempt > 1;
            case ALWAYS_FAIL:
            default:
                return false;
        }
    }

    private static long parse(String args, long dflt) {
        if (args == null || args.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(args.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
