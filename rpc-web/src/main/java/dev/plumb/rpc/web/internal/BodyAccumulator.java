package dev.plumb.rpc.web.internal;

import java.util.Arrays;

/**
 * Collects a body chunk by chunk, failing with {@link BodyTooLargeException} the moment it goes over the limit, so
 * an oversized body is never held whole.
 *
 * <p>Each byte is copied once on the way in. A body with an announced length starts in an array of at most
 * {@value #MAX_INITIAL_BYTES} bytes and, once more than that has arrived, moves once into an array of exactly the
 * announced size (so a client must send before the server commits memory to it). A body of unknown length grows by
 * copying while small and past that in segments of at most {@value #MAX_SEGMENT} bytes, which {@link #toByteArray()}
 * copies once into the body. A body of N bytes thus costs N, plus N of segments for the moment an unannounced one
 * is assembled. When the heap cannot hold the body, it is dropped like one over the limit and
 * {@link #outOfMemory()} tells so.
 */
public final class BodyAccumulator {

    /** The most allocated up front on the strength of an announced length: 64 KiB (more only as bytes arrive). */
    static final int MAX_INITIAL_BYTES = 64 * 1024;
    /** The largest segment of a body of unknown length. */
    static final int MAX_SEGMENT = 256 * 1024;

    private final int limit;
    private final long drainBytes;
    private final long expected;
    /** The body, or its first part when it is in segments; {@code null} once dropped. */
    private byte[] bytes;
    private byte[][] segments;
    private int segmentCount;
    private int lastFill;
    private long size;
    private boolean outOfMemory;

    /** An accumulator for at most {@code limit} bytes, expecting about {@code expected} (or -1 when unknown). */
    public BodyAccumulator(int limit, long expected) {
        this(limit, expected, 0);
    }

    /**
     * An accumulator for at most {@code limit} bytes that, once over it, drops what it holds and goes on counting
     * (discarding) up to {@code drainBytes} more before it throws; {@link #overflowed()} then tells the body was
     * too large. A server that reads a too-large body to its end before answering 413 and closing avoids a TCP
     * reset that can destroy the 413 before the client reads it. The same holds when the heap cannot hold the body.
     */
    public BodyAccumulator(int limit, long expected, long drainBytes) {
        this.limit = limit;
        this.drainBytes = drainBytes;
        this.expected = expected > 0 && expected <= limit ? expected : -1;
        this.bytes = new byte[(int) Math.min(Math.min(limit, MAX_INITIAL_BYTES), expected > 0 ? expected : 512)];
    }

    /** Adds {@code length} bytes, obtained from {@code source}; throws when over the limit (and the drain). */
    public BodyAccumulator add(int length, ChunkSource source) {
        if (size + length > limit || bytes == null) {
            if (size + length > limit + drainBytes) {
                throw new BodyTooLargeException(limit, size + length, outOfMemory && size + length <= limit);
            }
            drop(); // too large (or no memory for it): keep counting, hold nothing
            size += length;
            return this;
        }
        try {
            if (segments == null && size + length > bytes.length) {
                grow(size + length);
            }
            if (segments == null) {
                source.copyTo(0, bytes, (int) size, length);
            } else {
                addToSegments(length, source);
            }
        } catch (OutOfMemoryError e) {
            outOfMemory = true;
            drop();
            if (drainBytes == 0) {
                throw new BodyTooLargeException(limit, size + length, true);
            }
        }
        size += length;
        return this;
    }

    private void grow(long need) {
        if (expected > 0 && need <= expected) {
            bytes = Arrays.copyOf(bytes, (int) expected); // the announced size, at once: no doubling
        } else if (need <= MAX_INITIAL_BYTES) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_INITIAL_BYTES, Math.max(need, 2L * bytes.length)));
        } else {
            // unknown length (or more than announced): what is here stays, the rest goes into segments
            segments = new byte[8][];
            segmentCount = 0;
            lastFill = 0;
        }
    }

    /** Adds a chunk once in segment mode: the first array is filled up first, then segments. */
    private void addToSegments(int length, ChunkSource source) {
        int from = 0;
        long held = size;
        if (held < bytes.length) {
            int k = (int) Math.min(length, bytes.length - held);
            source.copyTo(0, bytes, (int) held, k);
            from = k;
            held += k;
        }
        while (from < length) {
            if (segmentCount == 0 || lastFill == segments[segmentCount - 1].length) {
                int next = (int) Math.min(limit - held, Math.min(MAX_SEGMENT, Math.max(MAX_INITIAL_BYTES, held)));
                if (segmentCount == segments.length) {
                    segments = Arrays.copyOf(segments, segmentCount * 2);
                }
                segments[segmentCount++] = new byte[Math.max(1, next)];
                lastFill = 0;
            }
            byte[] last = segments[segmentCount - 1];
            int k = Math.min(length - from, last.length - lastFill);
            source.copyTo(from, last, lastFill, k);
            lastFill += k;
            from += k;
            held += k;
        }
    }

    private void drop() {
        bytes = null;
        segments = null;
        segmentCount = 0;
    }

    /** Whether the body went over the limit, or the heap could not hold it (only with a drain; else {@link #add} throws). */
    public boolean overflowed() {
        return bytes == null;
    }

    /** Whether the body was dropped because the heap could not hold it (rather than for the limit). */
    public boolean outOfMemory() {
        return outOfMemory && size <= limit;
    }

    /** How many bytes arrived (kept or not). */
    public long size() {
        return size;
    }

    /** The body; the backing array itself when it is exactly full. */
    public byte[] toByteArray() {
        if (bytes == null) {
            throw new BodyTooLargeException(limit, size, outOfMemory());
        }
        try {
            if (segments == null) {
                return size == bytes.length ? bytes : Arrays.copyOf(bytes, (int) size);
            }
            byte[] body = new byte[(int) size];
            System.arraycopy(bytes, 0, body, 0, bytes.length);
            int at = bytes.length;
            for (int i = 0; i < segmentCount; i++) {
                int n = i == segmentCount - 1 ? lastFill : segments[i].length;
                System.arraycopy(segments[i], 0, body, at, n);
                at += n;
            }
            drop();
            bytes = body;
            return body;
        } catch (OutOfMemoryError e) {
            outOfMemory = true;
            drop();
            throw new BodyTooLargeException(limit, size, true);
        }
    }

    /** Copies a chunk's bytes into an array. */
    @FunctionalInterface
    public interface ChunkSource {
        /** Copies {@code length} bytes, from {@code from} bytes into the chunk, to {@code target[offset..]}. */
        void copyTo(int from, byte[] target, int offset, int length);
    }
}
