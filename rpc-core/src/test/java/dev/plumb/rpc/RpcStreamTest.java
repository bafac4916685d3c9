package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@Timeout(120)
class RpcStreamTest {

    private final AtomicLong producerRequested = new AtomicLong();
    private final AtomicLong producerEmitted = new AtomicLong();
    private final AtomicLong consumerRequested = new AtomicLong();
    private final AtomicLong maxOutstanding = new AtomicLong();
    private final AtomicBoolean overRequested = new AtomicBoolean();
    private final CountDownLatch producerCancelled = new CountDownLatch(1);

    private final RpcRouter router = RpcRouter.builder()
            .method("count", Integer.class, n -> Flux.range(0, n)
                    .doOnRequest(r -> {
                        long total = producerRequested.addAndGet(r);
                        if (total > consumerRequested.get()) {
                            overRequested.set(true);
                        }
                    })
                    .doOnNext(i -> {
                        long outstanding = producerRequested.get() - producerEmitted.incrementAndGet();
                        maxOutstanding.accumulateAndGet(outstanding, Math::max);
                    }))
            .method("endless", () -> Flux.<Long, Long>generate(() -> 0L, (i, sink) -> {
                sink.next(i);
                return i + 1;
            }).doOnCancel(producerCancelled::countDown))
            .method("failing", () -> Flux.concat(Flux.just(1, 2), Flux.error(new IllegalStateException("x"))))
            .method("single", () -> Mono.just("one"))
            .build();

    private final InMemoryTransport.Pair pair = InMemoryTransport.pair();
    private final RpcPeer server = RpcPeer.builder(pair.right()).router(router).connect();
    private final RpcPeer client = RpcPeer.builder(pair.left()).connect();

    @AfterEach
    void close() {
        client.dispose();
        server.dispose();
    }

    @Test
    void aMillionItemsFlowWithTheProducerNeverAheadOfTheConsumersDemand() {
        int n = 1_000_000;
        Flux<Integer> items = client.stream("count", java.util.List.of(n), Integer.class)
                .doOnRequest(consumerRequested::addAndGet)
                .limitRate(16);
        StepVerifier.create(items.reduce(0L, (acc, i) -> acc + 1))
                .expectNext((long) n)
                .verifyComplete();
        assertThat(overRequested).as("producer requested more than the consumer had").isFalse();
        assertThat(producerRequested.get()).isLessThanOrEqualTo(consumerRequested.get());
        assertThat(maxOutstanding.get()).as("producer's outstanding demand").isLessThanOrEqualTo(16);
        assertThat(producerEmitted.get()).isEqualTo(n);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void aSlowConsumerHoldsTheProducerBack() {
        StepVerifier.create(client.stream("count", java.util.List.of(1000), Integer.class), 3)
                .expectNext(0, 1, 2)
                .expectNoEvent(Duration.ofMillis(200))
                .then(() -> assertThat(producerEmitted.get()).isEqualTo(3))
                .thenRequest(2)
                .expectNext(3, 4)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void cancellingTheConsumerStopsTheProducer() throws InterruptedException {
        StepVerifier.create(client.stream("endless", null, Long.class).take(10))
                .expectNextCount(10)
                .verifyComplete();
        assertThat(producerCancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void aProducerErrorEndsTheStreamWithAnError() {
        StepVerifier.create(client.stream("failing", null, Integer.class))
                .expectNext(1, 2)
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32603))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void theProducerPeerClosingFailsTheStream() {
        StepVerifier.create(client.stream("endless", null, Long.class))
                .expectNextCount(3)
                .then(server::dispose)
                .thenConsumeWhile(x -> true)
                .expectError(RpcConnectionClosedException.class)
                .verify(Duration.ofSeconds(5));
        assertTheHandlerThreadsAreFree();
    }

    /** Every handler thread still runs new work: an endless producer must not keep one busy after its end. */
    private void assertTheHandlerThreadsAreFree() {
        InMemoryTransport.Pair p = InMemoryTransport.pair();
        RpcPeer s = RpcPeer.builder(p.right()).router(router).connect();
        RpcPeer c = RpcPeer.builder(p.left()).connect();
        try {
            for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
                StepVerifier.create(c.stream("single", null, String.class)).expectNext("one")
                        .expectComplete().verify(Duration.ofSeconds(10));
            }
        } finally {
            c.dispose();
            s.dispose();
        }
    }

    @Test
    void aSingleValueMethodStreamsOneItemAndAPlainCallCollectsAStream() {
        StepVerifier.create(client.stream("single", null, String.class)).expectNext("one").verifyComplete();
        StepVerifier.create(client.call("count", java.util.List.of(3)))
                .assertNext(node -> assertThat(node.toString()).isEqualTo("[0,1,2]"))
                .verifyComplete();
    }

    @Test
    void streamingAnUnknownMethodFails() {
        StepVerifier.create(client.stream("nope", null, String.class))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32601))
                .verify(Duration.ofSeconds(5));
    }
}
