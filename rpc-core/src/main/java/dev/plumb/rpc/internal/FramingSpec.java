package dev.plumb.rpc.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A {@link Framing} described by its parts: a decoder factory, the header for a frame length and a trailer.
 *
 * @param name          a name for messages
 * @param maxFrameBytes the largest frame accepted
 * @param decoders      makes a decoder per connection
 * @param headers       the header written before a frame of a given length
 * @param trailerBytes  the bytes written after every frame
 */
public record FramingSpec(String name, int maxFrameBytes, Supplier<FrameDecoder> decoders, IntFunction<byte[]> headers,
        byte[] trailerBytes) implements Framing {

    /** Checks the limit is positive. */
    public FramingSpec {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
    }

    @Override
    public FrameDecoder newDecoder() {
        return decoders.get();
    }

    @Override
    public byte[] header(int frameLength) {
        return headers.apply(frameLength);
    }

    @Override
    public byte[] trailer() {
        return trailerBytes;
    }

    @Override
    public String toString() {
        return name + " (max " + maxFrameBytes + " bytes)";
    }
}
