package dev.plumb.rpc;

import dev.plumb.rpc.internal.ContentLengthFrameDecoder;
import dev.plumb.rpc.internal.FramingSpec;
import dev.plumb.rpc.internal.LineFrameDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How frames are delimited on a byte stream: newline-delimited JSON (what {@code Civi::pipe} speaks, the default)
 * or {@code Content-Length} headers (LSP style). Each has a maximum frame size, 16 MiB unless set.
 */
public interface Framing {

    /** The default maximum frame size: 16 MiB. */
    int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** Newline-delimited JSON with the default maximum frame size. */
    static Framing newlineDelimited() {
        return newlineDelimited(DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * Newline-delimited JSON: one value per line, {@code \n}-terminated, a {@code \r} before it tolerated, blank
     * lines ignored. A final line without a newline still counts at end of stream.
     */
    static Framing newlineDelimited(int maxFrameBytes) {
        return new FramingSpec("newline-delimited", maxFrameBytes, () -> new LineFrameDecoder(maxFrameBytes),
                length -> EMPTY, NEWLINE);
    }

    /** {@code Content-Length} framing with the default maximum frame size. */
    static Framing contentLength() {
        return contentLength(DEFAULT_MAX_FRAME_BYTES);
    }

    /** {@code Content-Length: N\r\n\r\n} before each frame, as LSP does; other headers are ignored. */
    static Framing contentLength(int maxFrameBytes) {
        return new FramingSpec("Content-Length", maxFrameBytes, () -> new ContentLengthFrameDecoder(maxFrameBytes),
                length -> ("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), EMPTY);
    }

    /** The largest frame accepted, in bytes. */
    int maxFrameBytes();

    /** A new decoder for one connection's inbound stream. */
    FrameDecoder newDecoder();

    /** The bytes written before a frame of {@code frameLength} bytes (may be empty). */
    byte[] header(int frameLength);

    /** The bytes written after each frame (may be empty). */
    byte[] trailer();

    /** Writes one frame with its header and trailer. */
    default void writeFrame(byte[] frame, OutputStream out) throws IOException {
        byte[] h = header(frame.length);
        if (h.length > 0) {
            out.write(h);
        }
        out.write(frame);
        byte[] t = trailer();
        if (t.length > 0) {
            out.write(t);
        }
    }

    /** An empty byte array. */
    byte[] EMPTY = new byte[0];
    /** A single newline. */
    byte[] NEWLINE = {'\n'};
}
