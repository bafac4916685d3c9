package dev.plumb.rpc.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcProtocolException;
import java.nio.charset.StandardCharsets;
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
    private final byte[] header = new byte[MAX_HEADER_BYTES];
    private int headerLength;
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
                byte c = bytes[i++];
                if (headerLength == MAX_HEADER_BYTES) {
                    throw new RpcProtocolException("message header longer than " + MAX_HEADER_BYTES + " bytes");
                }
                header[headerLength++] = c;
                if (c == '\n' && headerLength >= 4 && header[headerLength - 2] == '\r'
                        && header[headerLength - 3] == '\n' && header[headerLength - 4] == '\r') {
                    long announced = parseLength(header, headerLength);
                    headerLength = 0;
                    startBody(announced, frames);
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

    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);

    /**
     * The value of the {@code Content-Length} header among the header lines in {@code h[0..n)} (names compared
     * without case, optional spaces around the value; other headers, such as {@code Content-Type}, ignored), read
     * without making strings: this runs once per message.
     */
    private static long parseLength(byte[] h, int n) {
        int line = 0;
        while (line < n) {
            int eol = line;
            while (eol < n && h[eol] != '\r') {
                eol++;
            }
            int colon = line;
            while (colon < eol && h[colon] != ':') {
                colon++;
            }
            if (colon < eol && isContentLength(h, line, colon)) {
                int k = colon + 1;
                while (k < eol && (h[k] == ' ' || h[k] == '\t')) {
                    k++;
                }
                long value = 0;
                int digits = 0;
                while (k < eol && h[k] >= '0' && h[k] <= '9' && digits < 18) {
                    value = value * 10 + (h[k++] - '0');
                    digits++;
                }
                while (k < eol && (h[k] == ' ' || h[k] == '\t')) {
                    k++;
                }
                if (digits > 0 && k == eol) {
                    return value;
                }
                break;
            }
            line = eol + 2; // past "\r\n"
        }
        throw new RpcProtocolException("message header without a valid Content-Length: "
                + new String(h, 0, n, StandardCharsets.ISO_8859_1).trim().replace("\r\n", " | "));
    }

    private static boolean isContentLength(byte[] h, int from, int colon) {
        int end = colon;
        while (end > from && (h[end - 1] == ' ' || h[end - 1] == '\t')) {
            end--;
        }
        while (from < end && (h[from] == ' ' || h[from] == '\t')) {
            from++;
        }
        if (end - from != CONTENT_LENGTH.length) {
            return false;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            int c = h[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != CONTENT_LENGTH[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void end(Consumer<byte[]> frames) {
        if (inBody || skipping > 0 || headerLength > 0) {
            String what = new String(header, 0, headerLength, StandardCharsets.US_ASCII);
            headerLength = 0;
            inBody = false;
            skipping = 0;
            throw new RpcProtocolException("stream ended inside a message" + (what.isBlank() ? "" : ": " + what.trim()));
        }
    }
}
