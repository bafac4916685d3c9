package dev.plumb.rpc.pipe.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;

/**
 * An {@link RpcConnection} over a reactor-netty connection (TCP or Unix-domain socket): inbound bytes are split
 * into frames with a {@link FrameDecoder}, demand reaching the socket through reactor-netty's read control;
 * outbound frames are written with their framing and flushed in batches.
 */
public final class NettyRpcConnection implements RpcConnection {

    private final NettyInbound inbound;
    private final NettyOutbound outbound;
    private final Connection connection;
    private final Framing framing;
    private final String description;
    private final AtomicBoolean received = new AtomicBoolean();
    private final AtomicBoolean sent = new AtomicBoolean();

    /** Wraps {@code connection}'s inbound and outbound. */
    public NettyRpcConnection(Connection connection, Framing framing, String description) {
        this(connection.inbound(), connection.outbound(), connection, framing, description);
    }

    /** Wraps a server-side {@code inbound}/{@code outbound} pair of {@code connection}. */
    public NettyRpcConnection(NettyInbound inbound, NettyOutbound outbound, Connection connection, Framing framing,
                              String description) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.connection = connection;
        this.framing = framing;
        this.description = description;
    }

    @Override
    public Flux<byte[]> receive() {
        if (!received.compareAndSet(false, true)) {
            return Flux.error(new IllegalStateException(description + ": receive may be subscribed to only once"));
        }
        FrameDecoder decoder = framing.newDecoder();
        return inbound.receive()
                .concatMapIterable(buf -> {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    List<byte[]> frames = new ArrayList<>(4);
                    decoder.feed(bytes, 0, bytes.length, frames::add);
                    return frames;
                })
                .concatWith(Flux.defer(() -> {
                    List<byte[]> last = new ArrayList<>(1);
                    decoder.end(last::add);
                    return Flux.fromIterable(last);
                }));
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        if (!sent.compareAndSet(false, true)) {
            return Mono.error(new IllegalStateException(description + ": send may be called only once"));
        }
        Flux<ByteBuf> buffers = Flux.from(frames).map(this::framed);
        return outbound.send(buffers).then();
    }

    private ByteBuf framed(byte[] frame) {
        byte[] header = framing.header(frame.length);
        byte[] trailer = framing.trailer();
        if (header.length == 0 && trailer.length == 0) {
            return Unpooled.wrappedBuffer(frame);
        }
        if (header.length == 0) {
            return Unpooled.wrappedBuffer(frame, trailer);
        }
        return Unpooled.wrappedBuffer(header, frame, trailer);
    }

    @Override
    public Mono<Void> onClose() {
        return connection.onDispose();
    }

    @Override
    public void dispose() {
        connection.dispose();
    }

    @Override
    public boolean isDisposed() {
        return connection.isDisposed();
    }

    @Override
    public String description() {
        return description;
    }
}
