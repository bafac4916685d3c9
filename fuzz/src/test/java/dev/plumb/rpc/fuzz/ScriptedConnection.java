package dev.plumb.rpc.fuzz;

import dev.plumb.rpc.RpcConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A connection whose inbound frames the test emits and whose outbound frames it records. */
final class ScriptedConnection implements RpcConnection {

    private final Sinks.Many<byte[]> inbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean disposed;

    /** Delivers {@code frame} to the peer as if it had been read. */
    void receive(byte[] frame) {
        inbound.emitNext(frame, Sinks.EmitFailureHandler.FAIL_FAST);
    }

    @Override
    public Flux<byte[]> receive() {
        return inbound.asFlux();
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return Flux.from(frames).doOnNext(sent::add).then();
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public void dispose() {
        disposed = true;
        closed.tryEmitEmpty();
        inbound.tryEmitComplete();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
