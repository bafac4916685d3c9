package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcConnectionClosedException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A JSON-RPC connection over one Spring WebFlux {@link WebSocketSession}: each text or binary message is one frame
 * (a message or a batch), and each outbound frame is sent as one text message. Give it to
 * {@code RpcPeer.builder(connection)} for a full duplex peer; {@link RpcWebSocketHandler} does so for each client.
 *
 * <p>Inbound messages are read only as the peer asks for them (the session's demand is the peer's), so a client
 * that writes faster than handlers finish is pushed back by TCP. A message larger than {@code maxFrameBytes}
 * closes the session with status 1009 (message too big) and ends {@link #receive()} with an
 * {@link RpcConnectionClosedException}; the server's own frame limit should be set to the same size, as
 * {@link RpcWebSocketHandler} does on Reactor Netty. Ping and pong messages are left to the server.
 */
public final class WebSocketSessionRpcConnection implements RpcConnection {

    private final WebSocketSession session;
    private final int maxFrameBytes;
    private final String description;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final AtomicBoolean disposed = new AtomicBoolean();

    /** A connection over {@code session} accepting messages up to {@code maxFrameBytes}. */
    public WebSocketSessionRpcConnection(WebSocketSession session, int maxFrameBytes, String description) {
        this.session = Objects.requireNonNull(session, "session");
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
        this.maxFrameBytes = maxFrameBytes;
        this.description = Objects.requireNonNull(description, "description");
        session.closeStatus().subscribe(s -> closed.tryEmitEmpty(), e -> closed.tryEmitEmpty(),
                () -> closed.tryEmitEmpty());
    }

    @Override
    public Flux<byte[]> receive() {
        return session.receive()
                .<byte[]>handle((message, sink) -> {
                    WebSocketMessage.Type type = message.getType();
                    if (type != WebSocketMessage.Type.TEXT && type != WebSocketMessage.Type.BINARY) {
                        return;
                    }
                    DataBuffer payload = message.getPayload();
                    int size = payload.readableByteCount();
                    if (size > maxFrameBytes) {
                        session.close(CloseStatus.TOO_BIG_TO_PROCESS.withReason("message over " + maxFrameBytes
                                + " bytes")).subscribe(null, e -> { });
                        sink.error(new RpcConnectionClosedException(description + ": a message of " + size
                                + " bytes is over the limit of " + maxFrameBytes));
                        return;
                    }
                    byte[] bytes = new byte[size];
                    payload.read(bytes);
                    sink.next(bytes);
                })
                .onErrorMap(e -> !(e instanceof RpcConnectionClosedException),
                        e -> new RpcConnectionClosedException(description + ": " + e.getMessage(), e));
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return session.send(Flux.from(frames).map(bytes ->
                        new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(bytes))))
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
            session.close(CloseStatus.NORMAL).subscribe(null, e -> closed.tryEmitEmpty());
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
