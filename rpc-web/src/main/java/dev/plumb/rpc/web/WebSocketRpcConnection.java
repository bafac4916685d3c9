package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcConnectionClosedException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A JSON-RPC connection over one WebSocket: one text message is one frame (a message or a batch), on the server
 * side of an upgrade as on the client side. Give it to {@code RpcPeer.builder(connection)} for a full duplex peer.
 *
 * <p>Messages in several WebSocket fragments are joined up to the size limit. A larger message, in one frame or in
 * fragments, closes the WebSocket with status 1009 (Message Too Big) and ends the connection with an
 * {@link RpcConnectionClosedException}: it is not read, so it has no id to answer. Binary messages are read as
 * UTF-8 JSON too. Outbound
 * frames follow the socket's writability, so a slow reader slows the writer instead of filling memory.
 */
public final class WebSocketRpcConnection implements RpcConnection {

    private final WebsocketInbound inbound;
    private final WebsocketOutbound outbound;
    private final int maxFrameBytes;
    private final String description;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean disposed = new AtomicBoolean();

    /** A connection over {@code inbound}/{@code outbound} accepting messages up to {@code maxFrameBytes}. */
    public WebSocketRpcConnection(WebsocketInbound inbound, WebsocketOutbound outbound, int maxFrameBytes,
                                  String description) {
        this.inbound = inbound;
        this.outbound = outbound;
        this.maxFrameBytes = maxFrameBytes;
        this.description = description;
        inbound.withConnection(c -> c.onDispose(() -> closed.tryEmitEmpty()));
    }

    @Override
    public Flux<byte[]> receive() {
        return inbound.aggregateFrames(maxFrameBytes)
                .receiveFrames()
                .<byte[]>handle((frame, sink) -> {
                    if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                        sink.next(bytesOf(frame));
                    }
                })
                .onErrorResume(TooLongFrameException.class, this::closeTooBig)
                .onErrorMap(e -> !(e instanceof RpcConnectionClosedException),
                        e -> new RpcConnectionClosedException(description + ": " + e.getMessage(), e));
    }

    /**
     * A message whose fragments add up to more than the limit: closed with 1009 (Message Too Big), as Netty closes
     * on a single frame over it.
     */
    private Mono<byte[]> closeTooBig(TooLongFrameException e) {
        RpcConnectionClosedException closed = new RpcConnectionClosedException(description + ": a message over "
                + maxFrameBytes + " bytes", e);
        if (!disposed.compareAndSet(false, true)) {
            return Mono.error(closed);
        }
        return outbound.sendClose(1009, "message over " + maxFrameBytes + " bytes")
                .onErrorResume(x -> Mono.empty())
                .then(Mono.error(closed));
    }

    private static byte[] bytesOf(WebSocketFrame frame) {
        ByteBuf content = frame.content();
        return ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), true);
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return outbound.sendObject(Flux.from(frames).map(b -> new TextWebSocketFrame(Unpooled.wrappedBuffer(b))))
                .then()
                .onErrorMap(e -> !(e instanceof RpcConnectionClosedException),
                        e -> new RpcConnectionClosedException(description + ": " + e.getMessage(), e));
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    /** Closes the WebSocket with status 1000 (normal closure). */
    @Override
    public void dispose() {
        if (disposed.compareAndSet(false, true)) {
            outbound.sendClose(1000, "closed").subscribe(null, e -> inbound.withConnection(c -> c.dispose()));
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed.get();
    }

    @Override
    public String description() {
        return description;
    }
}
