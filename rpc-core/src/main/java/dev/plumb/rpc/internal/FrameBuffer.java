package dev.plumb.rpc.internal;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that frames are encoded into, reused per thread to keep encoding allocation-free apart
 * from the finished frame.
 */
public final class FrameBuffer extends OutputStream {

    private static final int INITIAL = 512;
    private static final int KEEP_AT_MOST = 1 << 20;
    private static final ThreadLocal<FrameBuffer> CACHE = new ThreadLocal<>();

    private byte[] buf = new byte[INITIAL];
    private int count;

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
        if (buf.length <= KEEP_AT_MOST) {
            CACHE.set(this);
        }
    }

    private void ensure(int extra) {
        int need = count + extra;
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length << 1));
        }
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

    /** Appends an ASCII string byte by byte. */
    public void appendAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[count++] = (byte) s.charAt(i);
        }
    }

    /** Appends the decimal form of {@code v}. */
    public void appendLong(long v) {
        if (v >= 0 && v < 10) {
            write('0' + (int) v);
            return;
        }
        appendAscii(Long.toString(v));
    }

    /** How many bytes are in the buffer. */
    public int size() {
        return count;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
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
