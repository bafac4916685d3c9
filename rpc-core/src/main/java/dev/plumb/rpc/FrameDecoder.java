package dev.plumb.rpc;

import java.util.function.Consumer;

/**
 * Splits a byte stream into frames. Stateful: one decoder per connection, fed from one thread at a time.
 *
 * <p>A frame over the limit is skipped without being held in memory and reported as
 * {@link RpcConnection#OVERSIZED_FRAME}, so the peer can answer it and the connection goes on. Input that cannot
 * be resynchronised (a broken {@code Content-Length} header) throws {@link RpcProtocolException}.
 */
public interface FrameDecoder {

    /** Feeds {@code bytes[offset..offset+length)}; each complete frame is passed to {@code frames}. */
    void feed(byte[] bytes, int offset, int length, Consumer<byte[]> frames);

    /** Signals the end of the stream; a final unterminated frame, if the framing allows one, is passed on. */
    void end(Consumer<byte[]> frames);
}
