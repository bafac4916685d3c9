package dev.plumb.rpc;

import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The transport SPI: frames in as a {@link Flux}, frames out from a {@link Publisher}, and a close signal.
 *
 * <p>A frame is the bytes of one JSON-RPC message or batch, without framing. Everything above this interface
 * (the peer, the router) is transport-agnostic, so the same code serves a pipe, a socket, HTTP and a test.
 * Implementations: {@link InMemoryTransport} here, subprocess and socket transports in {@code rpc-pipe},
 * WebSocket in {@code rpc-web}.
 */
public interface RpcConnection extends Disposable {

    /**
     * Stands in for a frame the transport dropped because it exceeded the size limit, so that the peer can
     * answer it with an error and go on. Compare by identity.
     */
    byte[] OVERSIZED_FRAME = new byte[0];

    /**
     * The inbound frames. Subscribed to once; completes when the connection closes normally and errors when it
     * breaks (with an {@link RpcConnectionClosedException} carrying the reason, where the transport knows it).
     */
    Flux<byte[]> receive();

    /**
     * Writes the frames of {@code frames} in order, honouring the transport's flow control. Called once per
     * connection. The returned {@link Mono} completes when the frames are written or the connection closed.
     */
    Mono<Void> send(Publisher<byte[]> frames);

    /** Completes when the connection has closed, whichever side closed it. */
    Mono<Void> onClose();

    /** A short description for logs and errors, e.g. {@code pipe[cv pipe]#1234}. */
    default String description() {
        return getClass().getSimpleName();
    }
}
