package dev.plumb.rpc.internal;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcWireTap;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A connection whose frames, both ways, are shown to a {@link RpcWireTap} on their way through. */
public final class TappedConnection implements RpcConnection {

    private static final Logger LOG = LoggerFactory.getLogger(TappedConnection.class);

    private final RpcConnection delegate;
    private final String name;
    private final RpcWireTap tap;

    /** Taps {@code delegate} under {@code name}. */
    public TappedConnection(RpcConnection delegate, String name, RpcWireTap tap) {
        this.delegate = delegate;
        this.name = name;
        this.tap = tap;
    }

    @Override
    public Flux<byte[]> receive() {
        return delegate.receive().doOnNext(f -> show(RpcWireTap.Direction.IN, f));
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return delegate.send(Flux.from(frames).doOnNext(f -> show(RpcWireTap.Direction.OUT, f)));
    }

    private void show(RpcWireTap.Direction direction, byte[] frame) {
        try {
            tap.frame(name, direction, frame);
        } catch (RuntimeException e) {
            LOG.warn("{}: the wire tap failed", name, e);
        }
    }

    @Override
    public Mono<Void> onClose() {
        return delegate.onClose();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public boolean isDisposed() {
        return delegate.isDisposed();
    }
}
