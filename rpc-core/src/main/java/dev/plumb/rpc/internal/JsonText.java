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

    /**
     * The escaped body of {@code s} in UTF-8. A lone surrogate (which JSON allows as {@code \\uD800} and Jackson's
     * encoder refuses) is written as its escape, so whatever string a peer sent can be sent back.
     */
    private static byte[] quoteBody(String s) {
        if (!hasLoneSurrogate(s)) {
            return JsonStringEncoder.getInstance().quoteAsUTF8(s);
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || c < 0x20) {
                switch (c) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> b.append(String.format("\\u%04x", (int) c));
                }
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code s} as a quoted, escaped JSON string (a long one by reference: it is copied only once). */
    public static void appendQuoted(FrameBuffer out, String s) {
        if (out.appendQuotedPlainAscii(s)) {
            return;
        }
        out.write('"');
        if (plainAscii(s)) {
            out.appendAsciiShared(s);
        } else {
            byte[] quoted = quoteBody(s);
            out.appendShared(quoted, 0, quoted.length);
        }
        out.write('"');
    }

    /** {@code s} as a quoted, escaped JSON string in UTF-8. */
    public static byte[] quote(String s) {
        if (plainAscii(s)) {
            return ('"' + s + '"').getBytes(StandardCharsets.US_ASCII);
        }
        byte[] body = quoteBody(s);
        byte[] out = new byte[body.length + 2];
        out[0] = '"';
        System.arraycopy(body, 0, out, 1, body.length);
        out[out.length - 1] = '"';
        return out;
    }
}
