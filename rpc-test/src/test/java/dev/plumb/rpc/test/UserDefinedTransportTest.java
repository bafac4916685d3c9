package dev.plumb.rpc.test;

import dev.plumb.rpc.RpcConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The example of docs/testing.md, "Running the contract on your own transport", kept here so it cannot rot: a
 * transport written from scratch (a loopback of two sinks) passes {@link TransportContract} with a two-line test.
 */
class UserDefinedTransportTest implements TransportContract {

    @Override
    public RpcConnection connectToContractServer() {
        Loopback.End[] ends = Loopback.pair();
        TransportContract.serve(ends[1]);
        return ends[0];
    }

    /** A user's transport: each end's frames go into the other end's inbox; closing either end closes both. */
    static final class Loopback {

        static End[] pair() {
            Sinks.Empty<Void> closed = Sinks.empty();
            AtomicBoolean disposed = new AtomicBoolean();
            End a = new End(closed, disposed);
            End b = new End(closed, disposed);
            a.other = b;
            b.other = a;
            return new End[] {a, b};
        }

        static final class End implements RpcConnection {
            private final Sinks.Many<byte[]> inbox = Sinks.many().unicast().onBackpressureBuffer();
            private final Sinks.Empty<Void> closed;
            private final AtomicBoolean disposed;
            private End other;

            End(Sinks.Empty<Void> closed, AtomicBoolean disposed) {
                this.closed = closed;
                this.disposed = disposed;
            }

            @Override
            public Flux<byte[]> receive() {
                return inbox.asFlux().takeUntilOther(closed.asMono().thenReturn(true));
            }

            @Override
            public Mono<Void> send(Publisher<byte[]> frames) {
                return Flux.from(frames)
                        .doOnNext(frame -> other.inbox.tryEmitNext(frame))
                        .takeUntilOther(closed.asMono().thenReturn(true))
                        .then();
            }

            @Override
            public Mono<Void> onClose() {
                return closed.asMono();
            }

            @Override
            public void dispose() {
                disposed.set(true);
                closed.tryEmitEmpty();
            }

            @Override
            public boolean isDisposed() {
                return disposed.get();
            }
        }
    }
}
