package dev.plumb.rpc.web.internal;

import java.util.Arrays;

/**
 * Collects a request body chunk by chunk into one array, failing with {@link BodyTooLargeException} the moment it
 * goes over the limit, so an oversized body is never held whole.
 */
public final class BodyAccumulator {

    private final int limit;
    private final long drainBytes;
    private byte[] bytes;
    private long size;

    /** The most allocated up front on the strength of an announced length: 64 KiB (more only as bytes arrive). */
    static final int MAX_INITIAL_BYTES = 64 * 1024;

    /** An accumulator for at most {@code limit} bytes, expecting about {@code expected} (or -1 when unknown). */
    public BodyAccumulator(int limit, long expected) {
        this(limit, expected, 0);
    }

    /**
     * An accumulator for at most {@code limit} bytes that, once over it, drops what it holds and goes on counting
     * (discarding) up to {@code drainBytes} more before it throws; {@link #overflowed()} then tells the body was
     * too large. A server that reads a too-large body to its end before answering 413 and closing avoids a TCP
     * reset that can destroy the 413 before the client reads it.
     */
    public BodyAccumulator(int limit, long expected, long drainBytes) {
        this.limit = limit;
        this.drainBytes = drainBytes;
        this.bytes = new byte[(int) Math.min(Math.min(limit, MAX_INITIAL_BYTES), expected > 0 ? expected : 512)];
    }

    /** Adds {@code length} bytes, obtained from {@code source}; throws when over the limit (and the drain). */
    public BodyAccumulator add(int length, ChunkSource source) {
        if (size + length > limit) {
            if (size + length > limit + drainBytes) {
                throw new BodyTooLargeException(limit);
            }
            bytes = null; // too large: keep counting, hold nothing
            size += length;
            return this;
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + length, 2L * bytes.length)));
        }
        source.copyTo(bytes, (int) size, length);
        size += length;
        return this;
    }

    /** Whether the body went over the limit (only possible with a drain; without, {@link #add} throws). */
    public boolean overflowed() {
        return bytes == null;
    }

    /** The body; the backing array itself when it is exactly full. */
    public byte[] toByteArray() {
        if (bytes == null) {
            throw new BodyTooLargeException(limit);
        }
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, (int) size);
    }

    /** Copies a chunk's bytes into an array. */
    @FunctionalInterface
    public interface ChunkSource {
        /** Copies {@code length} bytes to {@code target[offset..]}. */
        void copyTo(byte[] target, int offset, int length);
    }
}
