package dev.plumb.rpc.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.RpcConnection;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Newline-delimited frames with a size limit; an over-long line is discarded as it streams past.
 *
 * <p>A line that arrives within one read is copied out once. A line spread over reads is kept in a small buffer
 * while it is short (reused from line to line) and, past {@value #SMALL} bytes, in segments of at most
 * {@value #MAX_SEGMENT} bytes that are never copied while the line grows; at its newline it is copied once into a
 * frame of exactly its size and the segments are dropped. A line of N bytes thus costs N, plus N of segments for the
 * moment it is assembled. When the heap cannot hold a line, it is discarded like an over-long one.
 */
public final class LineFrameDecoder implements FrameDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(LineFrameDecoder.class);

    /** A partial line up to this size is kept in one buffer that grows by copying. */
    static final int SMALL = 64 * 1024;
    /** The largest segment of a long partial line. */
    static final int MAX_SEGMENT = 256 * 1024;

    private static final byte[] NOTHING = new byte[0];

    private final int max;
    private byte[] partial = new byte[0];
    /** How many bytes of the partial line are in {@link #partial} (the rest is in the segments). */
    private int partialLength;
    private byte[][] segments;
    private int segmentCount;
    /** How much of the last segment is filled. */
    private int lastFill;
    /** The length of the whole partial line. */
    private long pending;
    private boolean discarding;

    /** A decoder that accepts lines of at most {@code maxFrameBytes} bytes. */
    public LineFrameDecoder(int maxFrameBytes) {
        this.max = maxFrameBytes;
    }

    @Override
    public void feed(byte[] bytes, int offset, int length, Consumer<byte[]> frames) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (discarding) {
                discarding = false;
                frames.accept(RpcConnection.OVERSIZED_FRAME);
            } else if (pending == 0) {
                emit(bytes, start, i - start, frames);
            } else {
                emitPending(bytes, start, i - start, frames);
            }
            start = i + 1;
        }
        if (start < end && !discarding) {
            append(bytes, start, end - start);
        }
    }

    @Override
    public void end(Consumer<byte[]> frames) {
        if (discarding) {
            discarding = false;
            frames.accept(RpcConnection.OVERSIZED_FRAME);
        } else if (pending > 0) {
            emitPending(NOTHING, 0, 0, frames);
        }
    }

    private void append(byte[] bytes, int from, int n) {
        if (pending + n > max + 1) { // +1 leaves room for a '\r' that is stripped
            discard();
            return;
        }
        try {
            if (segmentCount == 0 && pending + n <= SMALL) {
                if (partialLength + n > partial.length) {
                    partial = Arrays.copyOf(partial, Math.min(Math.max(partialLength + n, partial.length * 2), SMALL));
                }
                System.arraycopy(bytes, from, partial, partialLength, n);
                partialLength += n;
                pending += n;
                return;
            }
            while (n > 0) {
                if (segmentCount == 0 || lastFill == segments[segmentCount - 1].length) {
                    addSegment();
                }
                byte[] last = segments[segmentCount - 1];
                int k = Math.min(n, last.length - lastFill);
                System.arraycopy(bytes, from, last, lastFill, k);
                lastFill += k;
                pending += k;
                from += k;
                n -= k;
            }
        } catch (OutOfMemoryError e) {
            long had = pending + n;
            discard(); // answered like an over-long line, and the stream goes on
            noRoom(had, e); // after letting go of the segments: logging allocates too
        }
    }

    private void addSegment() {
        // segments grow with the line (so a line just over SMALL does not take a whole MAX_SEGMENT), never past
        // what the limit leaves
        long room = max + 1L - pending;
        int size = (int) Math.min(room, Math.min(MAX_SEGMENT, Math.max(SMALL, pending)));
        if (segments == null) {
            segments = new byte[8][];
        } else if (segmentCount == segments.length) {
            segments = Arrays.copyOf(segments, segmentCount * 2);
        }
        segments[segmentCount++] = new byte[Math.max(1, size)];
        lastFill = 0;
    }

    private void discard() {
        discarding = true;
        clearPending();
        partial = new byte[0];
    }

    private void clearPending() {
        partialLength = 0;
        pending = 0;
        if (segments != null) {
            Arrays.fill(segments, 0, segmentCount, null);
            segmentCount = 0;
            lastFill = 0;
            if (segments.length > 8) {
                segments = null;
            }
        }
    }

    /** Emits the pending line followed by {@code bytes[from..from+n)}, copied once into a frame of its size. */
    private void emitPending(byte[] bytes, int from, int n, Consumer<byte[]> frames) {
        long total = pending + n;
        byte last = n > 0 ? bytes[from + n - 1] : lastPendingByte();
        if (last == '\r') {
            total--;
        }
        if (total > max) {
            clearPending();
            frames.accept(RpcConnection.OVERSIZED_FRAME);
            return;
        }
        byte[] frame;
        try {
            frame = new byte[(int) total];
        } catch (OutOfMemoryError e) {
            clearPending();
            noRoom(total, e);
            frames.accept(RpcConnection.OVERSIZED_FRAME);
            return;
        }
        int at = copy(partial, 0, partialLength, frame, 0);
        for (int s = 0; s < segmentCount; s++) {
            at = copy(segments[s], 0, s == segmentCount - 1 ? lastFill : segments[s].length, frame, at);
        }
        copy(bytes, from, n, frame, at);
        clearPending();
        if (!isBlank(frame, 0, frame.length)) {
            frames.accept(frame);
        }
    }

    /** Copies at most what is left of {@code to} from {@code from[offset..offset+n)}; where the next copy starts. */
    private static int copy(byte[] from, int offset, int n, byte[] to, int at) {
        int k = Math.min(n, to.length - at);
        System.arraycopy(from, offset, to, at, k);
        return at + k;
    }

    private byte lastPendingByte() {
        return segmentCount > 0 ? segments[segmentCount - 1][lastFill - 1] : partial[partialLength - 1];
    }

    private void emit(byte[] bytes, int from, int n, Consumer<byte[]> frames) {
        if (n > 0 && bytes[from + n - 1] == '\r') {
            n--;
        }
        if (n > max) { // before the blank check, as for a line that spans reads: the outcome must not depend on them
            frames.accept(RpcConnection.OVERSIZED_FRAME);
            return;
        }
        if (isBlank(bytes, from, n)) {
            return;
        }
        byte[] frame;
        try {
            frame = Arrays.copyOfRange(bytes, from, from + n);
        } catch (OutOfMemoryError e) {
            noRoom(n, e);
            frame = RpcConnection.OVERSIZED_FRAME;
        }
        frames.accept(frame);
    }

    private static void noRoom(long bytes, OutOfMemoryError e) {
        LOG.warn("a line of {} bytes or more does not fit in memory ({}); it is answered as too large", bytes,
                e.toString());
    }

    private static boolean isBlank(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
