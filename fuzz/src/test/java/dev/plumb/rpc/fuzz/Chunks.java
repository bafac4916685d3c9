package dev.plumb.rpc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.RpcConnection;
import java.util.ArrayList;
import java.util.List;

/** Feeds a decoder the same bytes in the read sizes a fuzz input chooses, as a socket would deliver them. */
final class Chunks {

    private final int[] sizes;

    private Chunks(int[] sizes) {
        this.sizes = sizes;
    }

    /** Up to 8 read sizes of 1 to 64 bytes, taken from the front of the input; the last one repeats. */
    static Chunks from(FuzzedDataProvider data) {
        int n = data.consumeInt(1, 8);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = data.consumeInt(1, 64);
        }
        return new Chunks(sizes);
    }

    /** The frames {@code decoder} makes of {@code bytes} fed in these read sizes, then the end of the stream. */
    List<byte[]> decode(FrameDecoder decoder, byte[] bytes) {
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        int i = 0;
        while (at < bytes.length) {
            int n = Math.min(sizes[Math.min(i++, sizes.length - 1)], bytes.length - at);
            decoder.feed(bytes, at, n, frames::add);
            at += n;
        }
        decoder.end(frames::add);
        return frames;
    }

    /** The frames {@code decoder} makes of {@code bytes} fed in one read. */
    static List<byte[]> whole(FrameDecoder decoder, byte[] bytes) {
        List<byte[]> frames = new ArrayList<>();
        decoder.feed(bytes, 0, bytes.length, frames::add);
        decoder.end(frames::add);
        return frames;
    }

    /** Fails, showing both, when two lists of frames differ ({@link RpcConnection#OVERSIZED_FRAME} by identity). */
    static void assertSame(String what, List<byte[]> expected, List<byte[]> actual) {
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            byte[] e = expected.get(i);
            byte[] a = actual.get(i);
            same = (e == RpcConnection.OVERSIZED_FRAME) == (a == RpcConnection.OVERSIZED_FRAME)
                    && java.util.Arrays.equals(e, a);
        }
        if (!same) {
            throw new AssertionError(what + ": expected " + show(expected) + " but was " + show(actual));
        }
    }

    /** A readable form of a list of frames, for comparing and for failure messages. */
    static List<String> show(List<byte[]> frames) {
        List<String> shown = new ArrayList<>();
        for (byte[] f : frames) {
            shown.add(f == RpcConnection.OVERSIZED_FRAME ? "<oversized>" : java.util.HexFormat.of().formatHex(f));
        }
        return shown;
    }
}
