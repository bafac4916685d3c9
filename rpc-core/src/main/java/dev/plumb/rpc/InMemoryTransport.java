package dev.plumb.rpc;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A connected pair of in-memory connections: what one side sends, the other receives, with demand carried end to
 * end. For tests (yours and ours) and for wiring two peers inside one process.
 */
public final class InMemoryTransport {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private InMemoryTransport() {
    }

    /** The two ends of an in-memory connection. */
    public record Pair(RpcConnection left, RpcConnection right) {
    }

    /** Creates a new connected pair; disposing either end closes both. */
    public static Pair pair() {
        int n = COUNTER.incrementAndGet();
        Sinks.Empty<Void> closed = Sinks.empty();
        AtomicBoolean disposed = new AtomicBoolean();
        End left = new End("memory#" + n + "/left", closed, disposed);
        End right = new End("memory#" + n + "/right", closed, disposed);
        left.other = right;
        right.other = left;
        return new Pair(left, right);
    }

    private static final class End implements RpcConnection {
        private final String name;
        private final Sinks.Empty<Void> closed;
        private final AtomicBoolean disposed;
        private final Sinks.One<Publisher<byte[]>> outbound = Sinks.one();
        private End other;

        End(String name, Sinks.Empty<Void> closed, AtomicBoolean disposed) {
            this.name = name;
            this.closed = closed;
            this.disposed = disposed;
        }

        @Override
        public Flux<byte[]> receive() {
            return other.outbound.asMono()
                    .flatMapMany(Flux::from)
                    .takeUntilOther(closed.asMono().then(Mono.just(Boolean.TRUE)));
        }

        @Override
        public Mono<Void> send(Publisher<byte[]> frames) {
            Sinks.Empty<Void> sent = Sinks.empty();
            Flux<byte[]> tracked = Flux.from(frames).doFinally(s -> sent.tryEmitEmpty());
            if (outbound.tryEmitValue(tracked).isFailure()) {
                return Mono.error(new IllegalStateException(name + ": send may be called only once"));
            }
            return Mono.firstWithSignal(sent.asMono(), closed.asMono());
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

        @Override
        public String description() {
            return name;
        }
    }
}
