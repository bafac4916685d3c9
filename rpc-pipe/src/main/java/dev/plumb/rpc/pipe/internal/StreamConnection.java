package dev.plumb.rpc.pipe.internal;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * An {@link RpcConnection} over a blocking input and output stream (a process's own stdin/stdout): frames are read
 * and written on dedicated daemon threads. End of input completes {@link #receive()}; the peer then answers what it
 * has already read and closes the connection once the last reply is written.
 */
public final class StreamConnection implements RpcConnection {

    private final String description;
    private final InboundFrames inbound;
    private final OutboundFrames outbound;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile boolean disposed;

    /** A connection reading {@code in} and writing {@code out}. */
    public StreamConnection(InputStream in, OutputStream out, Framing framing, String description, Logger log) {
        this.description = description;
        this.inbound = new InboundFrames(in, framing.newDecoder(), null, null, this::onInputEnd, () -> disposed,
                this::dispose, () -> { }, "plumb-stdio-in");
        this.outbound = new OutboundFrames(out, framing, log, () -> { }, "plumb-stdio-out");
        this.outbound.done().subscribe(null, null, () -> closed.tryEmitEmpty());
        // replies produced on the reading thread (handlers on Schedulers.immediate()) are written there directly
        this.outbound.allowDirectWritesFrom(inbound.thread());
        this.inbound.beforeRead(outbound::flushDirect);
    }

    /** Writes {@code prefix.get()} before every frame (see {@link OutboundFrames#prefixEachFrame}); before start. */
    public StreamConnection prefixEachFrame(Supplier<String> prefix) {
        outbound.prefixEachFrame(prefix);
        return this;
    }

    /** Starts the reading and writing threads. */
    public StreamConnection start() {
        outbound.start();
        inbound.start();
        return this;
    }

    private Throwable onInputEnd(Throwable failure) {
        return failure;
    }

    @Override
    public Flux<byte[]> receive() {
        return inbound.frames();
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return outbound.attach(frames, description);
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public void dispose() {
        disposed = true;
        outbound.close();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @Override
    public String description() {
        return description;
    }
}
