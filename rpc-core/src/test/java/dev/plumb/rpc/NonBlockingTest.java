package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The peer, router, codec and streams never block a non-blocking (Reactor parallel) thread: BlockHound turns any
 * blocking call on such a thread into an error, which would fail these calls.
 */
@Timeout(60)
class NonBlockingTest {

    record Subtract(int minuend, int subtrahend) {
    }

    @BeforeAll
    static void installBlockHound() {
        // install(...) also loads Reactor's integration, which marks its parallel threads as non-blocking;
        // test logging (slf4j-simple writes to stderr) is not part of the library
        BlockHound.install(b -> b.allowBlockingCallsInside("org.slf4j.simple.SimpleLogger", "write"));
    }

    @Test
    void blockHoundIsWatching() {
        Mono<Integer> sleeping = Mono.fromCallable(() -> {
            Thread.sleep(1);
            return 1;
        }).subscribeOn(Schedulers.parallel());
        assertThatThrownBy(() -> sleeping.block(Duration.ofSeconds(5)))
                .hasStackTraceContaining(BlockingOperationError.class.getName());
    }

    @Test
    void callsNotificationsBatchesStreamsAndFailuresNeverBlock() {
        RpcRouter router = RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("later", Integer.class, i -> Mono.just(i).delayElement(Duration.ofMillis(1)))
                .method("count", Integer.class, n -> Flux.range(0, n))
                .method("boom", () -> Mono.error(new IllegalStateException("x")))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = RpcPeer.builder(pair.right()).router(router).connect();
        RpcPeer client = RpcPeer.builder(pair.left()).connect();
        try {
            Mono<List<Object>> work = Flux.merge(
                    Flux.range(0, 200).flatMap(i -> client.call("subtract", List.of(i, 1), Integer.class)),
                    Flux.range(0, 50).flatMap(i -> client.call("later", List.of(i), Integer.class)),
                    client.stream("count", List.of(10_000), Integer.class).limitRate(16),
                    client.notify("subtract", Map.of("minuend", 1, "subtrahend", 2)),
                    client.call("boom", null).onErrorResume(RpcErrorException.class, e -> Mono.empty()),
                    Mono.defer(() -> {
                        RpcClientBatch batch = client.batch();
                        Mono<Integer> a = batch.call("subtract", List.of(5, 2), Integer.class);
                        return batch.send().then(a);
                    }))
                    .subscribeOn(Schedulers.parallel())
                    .collectList();
            assertThat(work.block(Duration.ofSeconds(30))).hasSize(200 + 50 + 10_000 + 1);
        } finally {
            client.dispose();
            server.dispose();
        }
    }
}
