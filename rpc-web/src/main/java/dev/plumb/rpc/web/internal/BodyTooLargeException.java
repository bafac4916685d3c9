package dev.plumb.rpc.web.internal;

/**
 * A body went over the limit while it was being read, or did not fit in the heap; it answers {@code 413}.
 */
public final class BodyTooLargeException extends RuntimeException {

    private final long size;
    private final boolean outOfMemory;

    /** Over {@code limit} bytes. */
    public BodyTooLargeException(long limit) {
        this(limit, limit + 1, false);
    }

    /**
     * A body of at least {@code size} bytes that is over {@code limit}, or (when {@code outOfMemory}) within it
     * but too large for the heap.
     */
    public BodyTooLargeException(long limit, long size, boolean outOfMemory) {
        super(outOfMemory ? "a body of " + size + " bytes does not fit in memory"
                : "body exceeds " + limit + " bytes", null, false, false);
        this.size = size;
        this.outOfMemory = outOfMemory;
    }

    /** How many bytes had arrived (at least) when it was given up. */
    public long size() {
        return size;
    }

    /** Whether the heap, not the limit, was the reason. */
    public boolean outOfMemory() {
        return outOfMemory;
    }
}
