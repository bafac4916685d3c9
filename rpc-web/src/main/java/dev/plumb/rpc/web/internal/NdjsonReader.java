package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcResponse;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Reads a streamed answer (see {@code docs/http.md}): item lines, then one last line that is a JSON-RPC response
 * with {@code {"items":N}} or an error.
 *
 * <p>A line that might be the last one (it starts with {@code {"jsonrpc":"2.0",}) is held back until the next line
 * or the end of the body shows what it was, so an item that happens to look like a response is never mistaken for
 * the end. Every other item is passed on as soon as its line is complete. One reader per response.
 */
public final class NdjsonReader {

    private final FrameDecoder decoder;
    private final RpcCodec codec;
    private byte[] held;
    private long items;

    /** A reader of lines up to {@code maxLineBytes}, decoding the last line with {@code codec}. */
    public NdjsonReader(int maxLineBytes, RpcCodec codec) {
        this.decoder = Framing.newlineDelimited(maxLineBytes).newDecoder();
        this.codec = codec;
    }

    /** The item lines completed by {@code chunk}, in order. */
    public List<byte[]> feed(byte[] chunk) {
        List<byte[]> out = new ArrayList<>(4);
        decoder.feed(chunk, 0, chunk.length, line -> accept(line, out));
        return out;
    }

    private void accept(byte[] line, List<byte[]> out) {
        if (line == RpcConnection.OVERSIZED_FRAME) {
            throw new RpcProtocolException("a streamed item exceeds the line limit");
        }
        if (held != null) {
            out.add(held);
            items++;
            held = null;
        }
        if (NdjsonLines.mayBeTerminal(line)) {
            held = line;
        } else {
            out.add(line);
            items++;
        }
    }

    /** At the end of the body: completes, or fails with the stream's error or a protocol error. */
    public <T> Flux<T> finish() {
        List<byte[]> rest = new ArrayList<>(1);
        decoder.end(line -> accept(line, rest));
        if (!rest.isEmpty()) {
            return Flux.error(new RpcProtocolException("the stream ended with an item instead of its last line"));
        }
        if (held == null) {
            return Flux.error(new RpcProtocolException("the stream ended without its last line"));
        }
        RpcPacket last = codec.decode(held);
        if (last instanceof RpcResponse response) {
            if (response.isError()) {
                return Flux.error(new RpcErrorException(response.error()));
            }
            long announced = codec.tree(response.result()).path("items").asLong(-1);
            if (announced != items) {
                return Flux.error(new RpcProtocolException("the stream announced " + announced + " items but "
                        + items + " arrived"));
            }
            return Flux.empty();
        }
        return Flux.error(new RpcProtocolException("the stream's last line is not a JSON-RPC response"));
    }

    /** How many items were passed on so far. */
    public long items() {
        return items;
    }
}
