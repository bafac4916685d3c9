package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Ordered dispatch and bounded buffers in both directions, over an in-memory connection. */
@Timeout(60)
class FlowControlTest {

    private final List<RpcPeer> peers = new ArrayList<>();

    @AfterEach
    void close() {
        peers.forEach(RpcPeer::dispose);
    }

    private RpcPeer connect(RpcPeer.Builder builder) {
        RpcPeer p = builder.connect();
        peers.add(p);
        return p;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void notificationsAndRequestsStartTheirHandlersInTheOrderTheyWereSent() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        RpcRouter router = RpcRouter.builder()
                .method("note", Integer.class, n -> {
                    seen.add(n);
                    return Mono.empty();
                })
                .method("seen", Integer.class, n -> Mono.just(seen.size()))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        connect(RpcPeer.builder(pair.left()).router(router));
        RpcPeer client = connect(RpcPeer.builder(pair.right()));

        List<Mono<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            client.notify("note", List.of(i)).block();
            if (i % 10 == 9) {
                answers.add(client.call("seen", List.of(i), Integer.class).cache());
                answers.get(answers.size() - 1).subscribe();
            }
        }
        List<Integer> counts = Flux.concat(answers).collectList().block(Duration.ofSeconds(30));
        for (int k = 0; k < counts.size(); k++) {
            assertThat(counts.get(k)).as("notifications seen by request %d", k).isEqualTo(10 * (k + 1));
        }
        assertThat(seen).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.get(i)).as("notification at position %d", i).isEqualTo(i);
        }
    }

    @Test
    void aPeerThatDoesNotReadItsRepliesIsReadNoFurther() {
        RpcRouter echo = RpcRouter.builder().method("echo", Integer.class, Mono::just).build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = connect(RpcPeer.builder(pair.left()).router(echo).maxInboundInFlight(64));
        AtomicLong requested = new AtomicLong();
        Flux<byte[]> flood = Flux.range(1, 10_000)
                .map(i -> bytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[" + i + "],\"id\":" + i + "}"))
                .doOnRequest(n -> requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n));
        pair.right().send(flood).subscribe();
        // the script never reads its replies (nothing subscribes to pair.right().receive() yet)

        await(() -> server.runningCount() == 64);
        assertThat(requested.get()).as("frames asked of the writer").isLessThanOrEqualTo(64 + 32);
        assertThat(server.queuedOutboundFrames()).as("replies waiting").isEqualTo(64);

        // once the replies are read, everything is answered
        List<String> replies = pair.right().receive().map(b -> new String(b, StandardCharsets.UTF_8))
                .take(10_000).collectList().block(Duration.ofSeconds(30));
        assertThat(replies).hasSize(10_000).last().asString().contains("\"result\":10000");
        await(() -> server.runningCount() == 0);
    }

    @Test
    void localNotificationsWaitForRoomAndGiveUpAfterTheTimeout() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer sender = connect(RpcPeer.builder(pair.left()).maxQueuedOutboundFrames(4)
                .timeout(Duration.ofMillis(300)));
        // nobody reads pair.right(): the four queued frames are never taken
        for (int i = 0; i < 4; i++) {
            StepVerifier.create(sender.notify("n", List.of(i))).verifyComplete();
        }
        StepVerifier.create(sender.notify("n", List.of(4)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcTimeoutException.class)
                        .hasMessageContaining("n"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(sender.call("c", null)).expectError(RpcTimeoutException.class).verify(Duration.ofSeconds(5));
        assertThat(sender.queuedOutboundFrames()).isEqualTo(4);
        assertThat(sender.pendingCount()).isZero();
    }

    @Test
    void waitingSendersGoInTheOrderTheyCameOnceTheOtherSideReads() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer sender = connect(RpcPeer.builder(pair.left()).maxQueuedOutboundFrames(2));
        List<Mono<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Mono<Void> m = sender.notify("n", List.of(i)).cache();
            m.subscribe();
            sends.add(m);
        }
        List<String> got = pair.right().receive().map(b -> new String(b, StandardCharsets.UTF_8))
                .take(50).collectList().block(Duration.ofSeconds(10));
        for (int i = 0; i < 50; i++) {
            assertThat(got.get(i)).contains("\"params\":[" + i + "]");
        }
        Flux.concat(sends).blockLast(Duration.ofSeconds(5));
    }

    @Test
    void aBatchOverTheMemberLimitGetsOneInvalidRequestErrorAndNoMemberRuns() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        RpcRouter router = RpcRouter.builder().maxBatchMembers(3)
                .method("run", Integer.class, n -> {
                    ran.add(n);
                    return Mono.just(n);
                }).build();
        String four = "[" + String.join(",", List.of(1, 2, 3, 4).stream()
                .map(i -> "{\"jsonrpc\":\"2.0\",\"method\":\"run\",\"params\":[" + i + "],\"id\":" + i + "}").toList()) + "]";
        byte[] reply = router.respond(bytes(four)).block();
        assertThat(new String(reply, StandardCharsets.UTF_8))
                .startsWith("{").contains("-32600").contains("limit of 3").contains("\"id\":null");
        assertThat(ran).isEmpty();

        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        connect(RpcPeer.builder(pair.left()).router(router));
        Sinks.Many<byte[]> script = Sinks.many().unicast().onBackpressureBuffer();
        pair.right().send(script.asFlux()).subscribe();
        script.tryEmitNext(bytes(four));
        String overPeer = pair.right().receive().map(b -> new String(b, StandardCharsets.UTF_8))
                .blockFirst(Duration.ofSeconds(5));
        assertThat(overPeer).startsWith("{").contains("-32600");
        assertThat(ran).isEmpty();
    }

    @Test
    void aBatchAnsweredInPiecesJoinsToTheWholeAnswerAndRunsOnlyAsFarAsItIsRead() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        RpcRouter router = RpcRouter.builder().maxBatchMembers(100).batchConcurrency(4)
                .method("run", Integer.class, n -> {
                    ran.add(n);
                    return Mono.just(n);
                }).build();
        String members = String.join(",", java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> i % 5 == 0 ? "{\"jsonrpc\":\"2.0\",\"method\":\"run\",\"params\":[" + i + "]}"
                        : "{\"jsonrpc\":\"2.0\",\"method\":\"run\",\"params\":[" + i + "],\"id\":" + i + "}")
                .toList());
        RpcBatch batch = (RpcBatch) router.decode(bytes("[" + members + "]"), 0, bytes("[" + members + "]").length);
        String whole = new String(router.respond(batch).block(), StandardCharsets.UTF_8);
        ran.clear();
        List<byte[]> pieces = router.respondInPieces(batch).collectList().block();
        String joined = pieces.stream().map(p -> new String(p, StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining());
        assertThat(joined).isEqualTo(whole).startsWith("[{").endsWith("}]");
        assertThat(pieces).hasSize(40 + 1); // one per call, then "]"
        assertThat(ran).hasSize(50);

        // read three pieces only: the members run as far as that, plus those running ahead (batchConcurrency)
        ran.clear();
        reactor.test.StepVerifier.create(router.respondInPieces(batch), 3)
                .expectNextCount(3)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(ran.size()).isBetween(3, 3 + 4 + 2);

        String notifications = "[{\"jsonrpc\":\"2.0\",\"method\":\"run\",\"params\":[1]}]";
        assertThat(router.respondInPieces((RpcBatch) router.decode(bytes(notifications), 0,
                bytes(notifications).length)).collectList().block()).isEmpty();
        String over = "[" + String.join(",", java.util.Collections.nCopies(101,
                "{\"jsonrpc\":\"2.0\",\"method\":\"run\",\"params\":[1],\"id\":1}")) + "]";
        List<byte[]> refused = router.respondInPieces((RpcBatch) router.decode(bytes(over), 0, bytes(over).length))
                .collectList().block();
        assertThat(refused).hasSize(1);
        assertThat(new String(refused.get(0), StandardCharsets.UTF_8)).startsWith("{").contains("-32600");
    }

    @Test
    void aMethodRunOnItsOwnSchedulerDoesNotHoldUpTheMessagesAfterIt() {
        List<String> threads = new CopyOnWriteArrayList<>();
        RpcRouter router = RpcRouter.builder()
                .method("slow", Integer.class, n -> {
                    threads.add("slow:" + Thread.currentThread().getName());
                    sleep(500); // blocks: allowed only because it runs on boundedElastic
                    return Mono.just("slow");
                })
                .method("fast", Integer.class, n -> Mono.just("fast"))
                .runOn("slow", Schedulers.boundedElastic())
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        connect(RpcPeer.builder(pair.left()).router(router));
        RpcPeer client = connect(RpcPeer.builder(pair.right()));
        List<String> order = new CopyOnWriteArrayList<>();
        Mono<String> slow = client.call("slow", List.of(1), String.class).doOnNext(order::add);
        Mono<String> fast = client.call("fast", List.of(2), String.class).doOnNext(order::add);
        Mono.when(slow, fast).block(Duration.ofSeconds(10));
        assertThat(order).containsExactly("fast", "slow");
        assertThat(threads).singleElement().asString().contains("boundedElastic");
    }

    @Test
    void aRunOnForAnUnknownMethodFailsWhenTheRouterIsBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RpcRouter.builder()
                        .runOn("nope", Schedulers.boundedElastic()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nope");
    }

    @Test
    void aStreamWhoseConsumerStopsReadingHoldsOneUnitUntilItEnds() {
        RpcRouter router = RpcRouter.builder()
                .method("ticks", Integer.class, n -> Flux.range(0, n))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = connect(RpcPeer.builder(pair.left()).router(router));
        RpcPeer client = connect(RpcPeer.builder(pair.right()));
        StepVerifier.create(client.stream("ticks", List.of(100), Integer.class), 10)
                .expectNextCount(10)
                .then(() -> await(() -> server.runningCount() == 1))
                .thenRequest(90)
                .expectNextCount(90)
                .verifyComplete();
        await(() -> server.runningCount() == 0);
    }

    @Test
    void aStreamConsumerThatAsksForEverythingButDoesNotReadGetsOnlyWhatTheOutboxHolds() {
        AtomicLong asked = new AtomicLong();
        RpcRouter router = RpcRouter.builder()
                .method("ticks", Integer.class, n -> Flux.range(0, n)
                        .doOnRequest(k -> asked.getAndUpdate(r -> r + k < 0 ? Long.MAX_VALUE : r + k)))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = connect(RpcPeer.builder(pair.left()).router(router).maxQueuedOutboundFrames(8));
        Sinks.Many<byte[]> script = Sinks.many().unicast().onBackpressureBuffer();
        pair.right().send(script.asFlux()).subscribe();
        script.tryEmitNext(bytes("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/open\","
                + "\"params\":{\"method\":\"ticks\",\"params\":[1000000]},\"id\":1}"));
        script.tryEmitNext(bytes("{\"jsonrpc\":\"2.0\",\"method\":\"$/stream/request\","
                + "\"params\":{\"id\":1,\"n\":1000000000}}"));
        // nobody reads pair.right(): the producer may fill the outbox, and no more
        await(() -> server.queuedOutboundFrames() >= 8);
        sleep(300);
        assertThat(server.queuedOutboundFrames()).as("frames queued").isLessThanOrEqualTo(9);
        assertThat(asked.get()).as("items asked of the source").isLessThanOrEqualTo(10 * 64);

        // reading resumes the stream to its end
        long items = pair.right().receive().map(b -> new String(b, StandardCharsets.UTF_8))
                .takeUntil(f -> f.contains("\"result\""))
                .filter(f -> f.contains("$/stream/next"))
                .map(f -> f.split(",").length)
                .count().block(Duration.ofSeconds(30));
        assertThat(items).isGreaterThan(1000);
        assertThat(asked.get()).as("the whole source was asked for").isGreaterThanOrEqualTo(1_000_000);
    }

    @Test
    void callsWithTheirOwnTimeoutsExpireAndTellTheOtherSide() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer caller = connect(RpcPeer.builder(pair.left()));
        Flux<String> seen = pair.right().receive().map(b -> new String(b, StandardCharsets.UTF_8)).cache();
        seen.subscribe();
        long t0 = System.nanoTime();
        StepVerifier.create(caller.callRaw("never", null, Duration.ofMillis(200)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcTimeoutException.class)
                        .hasMessageContaining("never"))
                .verify(Duration.ofSeconds(5));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).isBetween(190L, 2000L);
        assertThat(caller.pendingCount()).isZero();
        assertThat(seen.take(2).collectList().block(Duration.ofSeconds(5)))
                .last().asString().contains("$/cancelRequest").contains("\"id\":1");
        // and later calls still time out after an idle spell
        sleep(100);
        StepVerifier.create(caller.callRaw("never", null, Duration.ofMillis(100)))
                .expectError(RpcTimeoutException.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void aCallerCanLearnItsRequestIdAndAMethodWithoutParamsIgnoresTheParamsItGets() {
        RpcRouter router = RpcRouter.builder().method("ping", () -> Mono.just("pong")).build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        connect(RpcPeer.builder(pair.left()).router(router));
        RpcPeer client = connect(RpcPeer.builder(pair.right()));
        List<RpcId> ids = new CopyOnWriteArrayList<>();
        Mono<RawJson> ping = client.callRaw("ping", java.util.Map.of("_meta", java.util.Map.of("progressToken", 1)),
                Duration.ofSeconds(5), ids::add);
        assertThat(ping.block(Duration.ofSeconds(5)).toString()).isEqualTo("\"pong\"");
        assertThat(ping.block(Duration.ofSeconds(5)).toString()).isEqualTo("\"pong\"");
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        assertThat(ids.get(0).json()).isNotEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            sleep(5);
        }
    }
}
