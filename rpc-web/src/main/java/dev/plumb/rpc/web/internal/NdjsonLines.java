package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.RawJson;

/** Writes one JSON value as one line of a newline-delimited JSON stream. */
public final class NdjsonLines {

    /** The prefix every end-of-stream line starts with (and so every line the client must look at twice). */
    public static final byte[] TERMINAL_PREFIX = "{\"jsonrpc\":\"2.0\",".getBytes();

    private NdjsonLines() {
    }

    /** {@code json} followed by {@code \n}. */
    public static byte[] line(byte[] json) {
        byte[] out = new byte[json.length + 1];
        System.arraycopy(json, 0, out, 0, json.length);
        out[json.length] = '\n';
        return out;
    }

    /** {@code value} followed by {@code \n}. */
    public static byte[] line(RawJson value) {
        byte[] out = new byte[value.length() + 1];
        System.arraycopy(value.array(), value.offset(), out, 0, value.length());
        out[value.length()] = '\n';
        return out;
    }

    /** Whether {@code line} could be an end-of-stream line (starts with {@link #TERMINAL_PREFIX}). */
    public static boolean mayBeTerminal(byte[] line) {
        if (line.length < TERMINAL_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < TERMINAL_PREFIX.length; i++) {
            if (line[i] != TERMINAL_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }
}
