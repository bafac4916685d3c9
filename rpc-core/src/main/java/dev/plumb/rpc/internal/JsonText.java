package dev.plumb.rpc.internal;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.io.JsonStringEncoder;

/** Writes Java strings as JSON string literals, with a fast path for plain ASCII. */
public final class JsonText {

    private JsonText() {
    }

    private static boolean plainAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code s} as a quoted, escaped JSON string (a long one by reference: it is copied only once). */
    public static void appendQuoted(FrameBuffer out, String s) {
        out.write('"');
        if (plainAscii(s)) {
            out.appendAsciiShared(s);
        } else {
            byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(s);
            out.appendShared(quoted, 0, quoted.length);
        }
        out.write('"');
    }

    /** {@code s} as a quoted, escaped JSON string in UTF-8. */
    public static byte[] quote(String s) {
        if (plainAscii(s)) {
            return ('"' + s + '"').getBytes(StandardCharsets.US_ASCII);
        }
        byte[] body = JsonStringEncoder.getInstance().quoteAsUTF8(s);
        byte[] out = new byte[body.length + 2];
        out[0] = '"';
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = '"';
        return out;
    }
}
