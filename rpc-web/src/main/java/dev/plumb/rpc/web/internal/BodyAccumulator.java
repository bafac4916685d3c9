package dev.plumb.rpc.web.internal;

import java.util.Arrays;

/**
 * Collects a request body chunk by chunk into one array, failing with {@link BodyTooLargeException} the moment it
 * goes over the limit, so an oversized body is never held whole.
 */
public final class BodyAccumulator {

    private final int limit;
    private byte[] bytes;
    private int size;

    /** The most allocated up front on the strength of an announced length: 64 KiB (more only as bytes arrive). */
    static final int MAX_INITIAL_BYTES = 64 * 1024;

    /** An accumulator for at most {@code limit} bytes, expecting about {@code expected} (or -1 when unknown). */
    public BodyAccumulator(int limit, long expected) {
        this.limit = limit;
        this.bytes = new byte[(int) Math.min(Math.min(limit, MAX_INITIAL_BYTES), expected > 0 ? expected : 512)];
    }

    /** Adds {@code length} bytes, obtained from {@code source}; throws when over the limit. */
    public BodyAccumulator add(int length, ChunkSource source) {
        if ((long) size + length > limit) {
            throw new BodyTooLargeException(limit);
        }
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + length, 2L * bytes.length)));
        }
        source.copyTo(bytes, size, length);
        size += length;
        return this;
    }

    /** The body; the backing array itself when it is exactly full. */
    public byte[] toByteArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    /** Copies a chunk's bytes into an array. */
    @FunctionalInterface
    public interface ChunkSource {
        /** Copies {@code length} bytes to {@code target[offset..]}. */
        void copyTo(byte[] target, int offset, int length);
    }
}
