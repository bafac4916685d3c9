package dev.plumb.rpc.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Content-Length} framed messages (LSP base protocol) with a size limit. Each body is read straight into an
 * array of exactly its announced size, so a frame of N bytes costs N; one the heap cannot hold is skipped and
 * reported as {@link RpcConnection#OVERSIZED_FRAME}, like an over-long one.
 */
public final class ContentLengthFrameDecoder implements FrameDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ContentLengthFrameDecoder.class);

    private static final int MAX_HEADER_BYTES = 8192;

    private final int max;
    private final StringBuilder header = new StringBuilder();
    private byte[] body;
    private int bodyFilled;
    private long skipping;
    private boolean inBody;

    /** A decoder that accepts bodies of at most {@code maxFrameBytes} bytes. */
    public ContentLengthFrameDecoder(int maxFrameBytes) {
        this.max = maxFrameBytes;
    }

    @Override
    public void feed(byte[] bytes, int offset, int length, Consumer<byte[]> frames) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (skipping > 0) {
                int n = (int) Math.min(skipping, end - i);
                skipping -= n;
                i += n;
                if (skipping == 0) {
                    frames.accept(RpcConnection.OVERSIZED_FRAME);
                }
            } else if (inBody) {
                int n = Math.min(body.length - bodyFilled, end - i);
                System.arraycopy(bytes, i, body, bodyFilled, n);
                bodyFilled += n;
                i += n;
                if (bodyFilled == body.length) {
                    inBody = false;
                    byte[] frame = body;
                    body = null;
                    frames.accept(frame);
                }
            } else {
                char c = (char) (bytes[i++] & 0xff);
                header.append(c);
                if (header.length() > MAX_HEADER_BYTES) {
                    throw new RpcProtocolException("message header longer than " + MAX_HEADER_BYTES + " bytes");
                }
                if (c == '\n' && header.length() >= 4 && header.lastIndexOf("\r\n\r\n") == header.length() - 4) {
                    startBody(parseLength(header.toString()), frames);
                    header.setLength(0);
                }
            }
        }
    }

    private void startBody(long length, Consumer<byte[]> frames) {
        if (length > max) {
            skipping = length;
            if (length == 0) {
                frames.accept(RpcConnection.OVERSIZED_FRAME);
            }
            return;
        }
        try {
            body = new byte[(int) length]; // the one copy of the frame: exactly its size, filled as bytes arrive
        } catch (OutOfMemoryError e) {
            LOG.warn("a frame of {} bytes does not fit in memory ({}); it is answered as too large", length,
                    e.toString());
            skipping = length; // skipped and answered like an over-long frame; the stream goes on
            return;
        }
        bodyFilled = 0;
        inBody = true;
        if (length == 0) {
            inBody = false;
            body = null;
        }
    }

    private static long parseLength(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                try {
                    long n = Long.parseLong(line.substring(colon + 1).trim());
                    if (n >= 0) {
                        return n;
                    }
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new RpcProtocolException("message header without a valid Content-Length: "
                + headers.trim().replace("\r\n", " | "));
    }

    @Override
    public void end(Consumer<byte[]> frames) {
        if (inBody || skipping > 0 || header.length() > 0) {
            String what = new String(header.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.US_ASCII);
            header.setLength(0);
            inBody = false;
            skipping = 0;
            throw new RpcProtocolException("stream ended inside a message" + (what.isBlank() ? "" : ": " + what.trim()));
        }
    }
}
