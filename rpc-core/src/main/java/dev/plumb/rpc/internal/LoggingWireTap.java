package dev.plumb.rpc.internal;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcWireTap;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tap of {@link RpcWireTap#log(int)}: {@code name >>> frame} at DEBUG, cut to a number of characters. */
public final class LoggingWireTap implements RpcWireTap {

    private static final Logger WIRE = LoggerFactory.getLogger(RpcWireTap.LOGGER);

    private final int maxChars;

    /** A tap writing at most {@code maxChars} characters of each frame. */
    public LoggingWireTap(int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be >= 0");
        }
        this.maxChars = maxChars;
    }

    @Override
    public void frame(String connection, Direction direction, byte[] frame) {
        if (WIRE.isDebugEnabled()) {
            WIRE.debug("{} {} {}", connection, direction == Direction.IN ? "<<<" : ">>>", render(frame, maxChars));
        }
    }

    /** The frame as text, cut to {@code maxChars} characters with its size after a cut. */
    public static String render(byte[] frame, int maxChars) {
        if (frame == RpcConnection.OVERSIZED_FRAME) {
            return "[a frame over the size limit, dropped]";
        }
        // at most 4 bytes per character: decode no more than can be shown
        int n = (int) Math.min(frame.length, 4L * maxChars);
        String s = new String(frame, 0, n, StandardCharsets.UTF_8);
        if (s.length() > maxChars || n < frame.length) {
            return s.substring(0, Math.min(maxChars, s.length())) + "… (" + frame.length + " bytes)";
        }
        return s;
    }
}
