package dev.plumb.rpc.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/** {@code Content-Length} framed messages (LSP base protocol) with a size limit. */
public final class ContentLengthFrameDecoder implements FrameDecoder {

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
        body = new byte[(int) length];
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
