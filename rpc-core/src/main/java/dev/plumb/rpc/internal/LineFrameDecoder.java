package dev.plumb.rpc.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.RpcConnection;
import java.util.Arrays;
import java.util.function.Consumer;

/** Newline-delimited frames with a size limit; an over-long line is discarded as it streams past. */
public final class LineFrameDecoder implements FrameDecoder {

    private final int max;
    private byte[] partial = new byte[0];
    private int partialLength;
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
            } else if (partialLength == 0) {
                emit(bytes, start, i - start, frames);
            } else {
                append(bytes, start, i - start);
                if (!discarding) {
                    emit(partial, 0, partialLength, frames);
                } else {
                    discarding = false;
                    frames.accept(RpcConnection.OVERSIZED_FRAME);
                }
                partialLength = 0;
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
        } else if (partialLength > 0) {
            emit(partial, 0, partialLength, frames);
        }
        partialLength = 0;
    }

    private void append(byte[] bytes, int from, int n) {
        if (partialLength + n > max + 1) { // +1 leaves room for a '\r' that is stripped
            discarding = true;
            partialLength = 0;
            partial = new byte[0];
            return;
        }
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.min(Math.max(partialLength + n, partial.length * 2), max + 1));
        }
        System.arraycopy(bytes, from, partial, partialLength, n);
        partialLength += n;
    }

    private void emit(byte[] bytes, int from, int n, Consumer<byte[]> frames) {
        if (n > 0 && bytes[from + n - 1] == '\r') {
            n--;
        }
        if (isBlank(bytes, from, n)) {
            return;
        }
        if (n > max) {
            frames.accept(RpcConnection.OVERSIZED_FRAME);
            return;
        }
        frames.accept(Arrays.copyOfRange(bytes, from, from + n));
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
