package dev.plumb.rpc.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A byte buffer that frames are encoded into, reused per thread to keep encoding allocation-free apart from the
 * finished frame.
 *
 * <p>Small frames are written into one array that grows by copying. A large frame is never doubled and copied:
 * past {@value #GROW_BY_COPY_UP_TO} bytes the part written so far is set aside as a piece and writing goes on in a
 * new segment (of at most {@value #MAX_SEGMENT} bytes, below the size a small heap treats as humongous), and large
 * values that are already bytes ({@link #appendShared}) or plain ASCII text ({@link #appendAsciiShared}) are kept
 * by reference. {@link #toByteArray()} then copies every piece once into the finished frame: a frame of N bytes
 * costs N, plus at most N of pieces for the moment it is assembled, and nothing for the values it refers to.
 */
public final class FrameBuffer extends OutputStream {

    private static final int INITIAL = 512;
    private static final int KEEP_AT_MOST = 1 << 20;
    /** The buffer grows by copying up to this size; past it, by adding segments. */
    static final int GROW_BY_COPY_UP_TO = 64 * 1024;
    /** The largest segment allocated for bytes written piecemeal. */
    static final int MAX_SEGMENT = 256 * 1024;
    /** Shared slices at least this long are kept by reference rather than copied in. */
    static final int SHARE_AT_LEAST = 8 * 1024;
    private static final ThreadLocal<FrameBuffer> CACHE = new ThreadLocal<>();

    private byte[] buf = new byte[INITIAL];
    private int count;
    /** Where the bytes of {@link #buf} not yet set aside as a piece start. */
    private int pieceStart;

    /** The pieces before {@code buf[pieceStart..count)}, in order: a byte[] slice or a String of ASCII. */
    private Object[] pieces;
    private int[] pieceOffsets;
    private int[] pieceLengths;
    private int pieceCount;
    private long pieceBytes;

    /** Takes this thread's buffer (or a new one if it is in use further up the stack), emptied. */
    public static FrameBuffer acquire() {
        FrameBuffer b = CACHE.get();
        if (b == null) {
            return new FrameBuffer();
        }
        CACHE.set(null);
        b.count = 0;
        return b;
    }

    /** Gives the buffer back to this thread's cache; large buffers are dropped so they do not pin memory. */
    public void release() {
        if (pieceCount > 0) {
            Arrays.fill(pieces, 0, pieceCount, null);
            pieceCount = 0;
            pieceBytes = 0;
        }
        pieceStart = 0;
        count = 0;
        if (buf.length <= KEEP_AT_MOST) {
            CACHE.set(this);
        }
    }

    private void ensure(int extra) {
        if (count + extra > buf.length) {
            grow(extra);
        }
    }

    private void grow(int extra) {
        long need = (long) count + extra;
        if (pieceCount == 0 && need <= GROW_BY_COPY_UP_TO) {
            buf = Arrays.copyOf(buf, (int) Math.min(GROW_BY_COPY_UP_TO, Math.max(need, (long) buf.length << 1)));
            return;
        }
        if (size() + extra > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("a frame cannot exceed 2 GiB");
        }
        // set what is written aside and go on in a new segment: nothing written is copied until the end
        addPiece(buf, pieceStart, count - pieceStart);
        buf = new byte[Math.max(extra, (int) Math.min(MAX_SEGMENT, Math.max(GROW_BY_COPY_UP_TO, size())))];
        count = 0;
        pieceStart = 0;
    }

    private void addPiece(Object piece, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (pieces == null) {
            pieces = new Object[8];
            pieceOffsets = new int[8];
            pieceLengths = new int[8];
        } else if (pieceCount == pieces.length) {
            pieces = Arrays.copyOf(pieces, pieceCount * 2);
            pieceOffsets = Arrays.copyOf(pieceOffsets, pieceCount * 2);
            pieceLengths = Arrays.copyOf(pieceLengths, pieceCount * 2);
        }
        pieces[pieceCount] = piece;
        pieceOffsets[pieceCount] = offset;
        pieceLengths[pieceCount] = length;
        pieceCount++;
        pieceBytes += length;
    }

    /** Ends the current piece of {@code buf} so that a shared piece can follow it. */
    private void addShared(Object piece, int offset, int length) {
        if (size() + length > Integer.MAX_VALUE - 16) {
            throw new OutOfMemoryError("a frame cannot exceed 2 GiB");
        }
        addPiece(buf, pieceStart, count - pieceStart);
        pieceStart = count;
        addPiece(piece, offset, length);
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** Appends all of {@code b}. */
    public void append(byte[] b) {
        write(b, 0, b.length);
    }

    /**
     * Appends {@code b[off..off+len)}, keeping a large slice by reference until {@link #toByteArray()}: the caller
     * must not change those bytes before then (a {@link dev.plumb.rpc.RawJson}'s, or a fresh array's).
     */
    public void appendShared(byte[] b, int off, int len) {
        if (len < SHARE_AT_LEAST) {
            write(b, off, len);
        } else {
            addShared(b, off, len);
        }
    }

    /** Appends an ASCII string byte by byte. */
    public void appendAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[count++] = (byte) s.charAt(i);
        }
    }

    /** Appends a string known to be ASCII, keeping a large one by reference until {@link #toByteArray()}. */
    public void appendAsciiShared(String s) {
        if (s.length() < SHARE_AT_LEAST) {
            appendAscii(s);
        } else {
            addShared(s, 0, s.length());
        }
    }

    /** Appends the decimal form of {@code v}, digit by digit (no String is made). */
    public void appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            appendAscii(Long.toString(v));
            return;
        }
        long rest = v < 0 ? -v : v;
        int n = v < 0 ? 2 : 1;
        for (long t = rest; t >= 10; t /= 10) {
            n++;
        }
        ensure(n);
        int i = count + n;
        do {
            buf[--i] = (byte) ('0' + (rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (v < 0) {
            buf[count] = '-';
        }
        count += n;
    }

    /**
     * Appends {@code s} in quotes when it is short plain ASCII (printable, no quote or backslash) and answers
     * {@code true}, in one pass; otherwise appends nothing and answers {@code false}.
     */
    public boolean appendQuotedPlainAscii(String s) {
        int n = s.length();
        if (n >= SHARE_AT_LEAST) {
            return false;
        }
        ensure(n + 2);
        byte[] out = buf;
        int at = count;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
            out[at + 1 + i] = (byte) c;
        }
        out[at] = '"';
        out[at + 1 + n] = '"';
        count = at + n + 2;
        return true;
    }

    /** How many bytes are in the buffer. */
    public int size() {
        return (int) (pieceBytes + count - pieceStart);
    }

    /** A copy of the bytes written: each piece is copied once, into an array of exactly {@link #size()} bytes. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, for ASCII
    public byte[] toByteArray() {
        if (pieceCount == 0) {
            return Arrays.copyOf(buf, count);
        }
        byte[] out = new byte[size()];
        int at = 0;
        for (int i = 0; i < pieceCount; i++) {
            Object piece = pieces[i];
            int off = pieceOffsets[i];
            int len = pieceLengths[i];
            if (piece instanceof byte[] bytes) {
                System.arraycopy(bytes, off, out, at, len);
            } else {
                ((String) piece).getBytes(off, off + len, out, at);
            }
            at += len;
        }
        System.arraycopy(buf, pieceStart, out, at, count - pieceStart);
        return out;
    }

    @Override
    public void flush() {
        // nothing buffered outside the array
    }

    @Override
    public void close() {
        // closing the stream a generator wrote to must not end the buffer
    }
}
