package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

@Timeout(60)
class RpcPeerTest {

    record Subtract(int minuend, int subtrahend) {
    }

    private final CountDownLatch slowCancelled = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final Sinks.Many<String> notified = Sinks.many().replay().all();

    private final RpcRouter router = RpcRouter.builder()
            .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
            .method("echo", JsonNode.class, Mono::just)
            .method("hello", String.class, who -> {
                notified.tryEmitNext(who);
                return Mono.empty();
            })
            .method("slow", () -> Mono.never().doOnSubscribe(s -> slowStarted.countDown())
                    .doOnCancel(slowCancelled::countDown))
            .method("boom", () -> {
                throw new IllegalStateException("secret internals");
            })
            .method("refuse", () -> Mono.error(new RpcErrorException(-32050, "refused")))
            .build();

    private final InMemoryTransport.Pair pair = InMemoryTransport.pair();
    private final RpcPeer server = RpcPeer.builder(pair.right()).router(router).name("server").connect();
    private final RpcPeer client = RpcPeer.builder(pair.left()).name("client").connect();

    @AfterEach
    void close() {
        client.dispose();
        server.dispose();
    }

    @Test
    void callsBindPositionalAndNamedParamsToARecord() {
        StepVerifier.create(client.call("subtract", List.of(42, 23), Integer.class))
                .expectNext(19).verifyComplete();
        StepVerifier.create(client.call("subtract", Map.of("subtrahend", 23, "minuend", 42), Integer.class))
                .expectNext(19).verifyComplete();
        StepVerifier.create(client.call("echo", Map.of("a", List.of(1, "x"))))
                .assertNext(n -> assertThat(n.toString()).isEqualTo("{\"a\":[1,\"x\"]}"))
                .verifyComplete();
        assertThat(client.pendingCount()).isZero();
    }

    /** A typed result. */
    record Point(int x, String label) {
    }

    @Test
    void typedResultsBindOrFailAsProtocolErrorsThroughClientFiltersToo() {
        InMemoryTransport.Pair other = InMemoryTransport.pair();
        RpcPeer otherServer = RpcPeer.builder(other.right()).router(router).connect();
        RpcPeer filtered = RpcPeer.builder(other.left()).filter((call, next) -> next.proceed(call)).connect();
        try {
            assertTypedResults(filtered);
        } finally {
            filtered.dispose();
            otherServer.dispose();
        }
    }

    /** A record result binds, a null one completes empty, one that does not fit fails as a protocol error. */
    private static void assertTypedResults(RpcPeer caller) {
        StepVerifier.create(caller.call("echo", Map.of("x", 3, "label", "p"), Point.class))
                .expectNext(new Point(3, "p")).verifyComplete();
        StepVerifier.create(caller.call("echo", null, Point.class)).verifyComplete(); // a null result: empty
        StepVerifier.create(caller.call("echo", List.of(1, 2), Point.class))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcProtocolException.class)
                        .hasMessageContaining("result of 'echo' does not bind to Point"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(caller.call("echo", Map.of("x", "not a number"), Point.class))
                .expectError(RpcProtocolException.class).verify(Duration.ofSeconds(5));
        assertThat(caller.pendingCount()).isZero();
    }

    @Test
    void aResponseWaitsForTheCallersRequestAndACancelledCallGetsNothing() {
        // the in-memory answer comes at once, before anything was requested: it is held until asked for
        StepVerifier.create(client.call("subtract", List.of(5, 3), Integer.class), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(1)
                .expectNext(2)
                .verifyComplete();
        // cancelled before asking: nothing is delivered, nothing stays pending
        StepVerifier.create(client.call("subtract", List.of(5, 3), Integer.class), 0)
                .expectSubscription()
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        // cancelled while subscribing: the call is not even sent
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        client.callRaw("subtract", List.of(1, 1), Duration.ofSeconds(5), id -> sent.incrementAndGet())
                .subscribe(new reactor.core.publisher.BaseSubscriber<RawJson>() {
                    @Override
                    protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                        subscription.cancel();
                    }
                });
        assertThat(sent).hasValue(0);
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void typedResultsBindOrFailAsProtocolErrors() {
        assertTypedResults(client);
    }

    @Test
    void notificationsReachTheHandlerAndAreNeverAnswered() {
        StepVerifier.create(client.notify("hello", List.of("world"))).verifyComplete();
        StepVerifier.create(notified.asFlux().take(1)).expectNext("world").verifyComplete();
        // a failing notification is not answered either, and the connection keeps serving
        StepVerifier.create(client.notify("boom", null).then(client.call("subtract", List.of(2, 1), Integer.class)))
                .expectNext(1).verifyComplete();
    }

    @Test
    void aClientBatchIsAnsweredCallByCall() {
        RpcClientBatch batch = client.batch();
        Mono<Integer> a = batch.call("subtract", List.of(10, 1), Integer.class);
        Mono<Integer> b = batch.call("subtract", Map.of("minuend", 5, "subtrahend", 3), Integer.class);
        Mono<JsonNode> missing = batch.call("nope", null);
        batch.notify("hello", List.of("batch"));
        StepVerifier.create(batch.send()).verifyComplete();
        StepVerifier.create(a).expectNext(9).verifyComplete();
        StepVerifier.create(b).expectNext(2).verifyComplete();
        StepVerifier.create(missing)
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32601))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(notified.asFlux().filter("batch"::equals).take(1)).expectNext("batch").verifyComplete();
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void aCallWithoutAnswerTimesOutFreesItsSlotAndCancelsTheRemoteHandler() throws InterruptedException {
        StepVerifier.withVirtualTime(() -> client.call("slow", null))
                .expectSubscription()
                .then(() -> awaitLatch(slowStarted))
                .thenAwait(Duration.ofSeconds(29))
                .expectNoEvent(Duration.ofMillis(1))
                .thenAwait(Duration.ofSeconds(2))
                .expectError(RpcTimeoutException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(client.pendingCount()).isZero();
        assertThat(slowCancelled.await(5, TimeUnit.SECONDS)).as("remote handler saw the cancel").isTrue();
    }

    @Test
    void cancellingTheCallerCancelsTheRemoteHandler() throws InterruptedException {
        StepVerifier.create(client.call("slow", null))
                .expectSubscription()
                .then(() -> awaitRunning(1))
                .then(() -> awaitLatch(slowStarted))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(slowCancelled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.pendingCount()).isZero();
        awaitRunning(0);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void awaitRunning(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.runningCount() != n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.runningCount()).isEqualTo(n);
    }

    @Test
    void closingTheConnectionFailsEveryPendingCall() {
        Flux<JsonNode> calls = Flux.range(0, 5).flatMap(i -> client.call("slow", null));
        StepVerifier.create(calls)
                .expectSubscription()
                .then(() -> awaitRunning(5))
                .then(server::dispose)
                .expectError(RpcConnectionClosedException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(client.pendingCount()).isZero();
        StepVerifier.create(client.call("subtract", List.of(1, 1)))
                .expectError(RpcConnectionClosedException.class).verify(Duration.ofSeconds(5));
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void handlerFailuresMapToErrorsWithoutLeakingInternals() {
        StepVerifier.create(client.call("boom", null))
                .expectErrorSatisfies(e -> {
                    RpcError err = ((RpcErrorException) e).error();
                    assertThat(err.code()).isEqualTo(RpcError.INTERNAL_ERROR);
                    assertThat(err.message()).isEqualTo("Internal error");
                    assertThat(err.data()).isNull();
                    assertThat(e.getMessage()).doesNotContain("secret").doesNotContain("IllegalState");
                })
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(client.call("refuse", null))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32050))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(client.call("subtract", List.of(1)))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32602))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(client.call("subtract", List.of("a", 1)))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32602))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(client.call("nope", null))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32601))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void inboundCallsRunWithThePeersContextAndThroughFilters() {
        java.util.List<String> seen = new CopyOnWriteArrayList<>();
        RpcRouter r = RpcRouter.builder()
                .filter((call, next) -> {
                    seen.add(call.method());
                    return next.proceed(call);
                })
                .method("whoami", () -> Mono.deferContextual(ctx -> Mono.just(ctx.<String>get("principal"))))
                .method("whoamis", () -> Flux.deferContextual(ctx -> Flux.just(ctx.<String>get("principal"), "!")))
                .build();
        InMemoryTransport.Pair p = InMemoryTransport.pair();
        RpcPeer srv = RpcPeer.builder(p.right()).router(r)
                .context(reactor.util.context.Context.of("principal", "alice")).connect();
        RpcPeer cli = RpcPeer.builder(p.left()).connect();
        try {
            StepVerifier.create(cli.call("whoami", null, String.class)).expectNext("alice").verifyComplete();
            StepVerifier.create(cli.stream("whoamis", null, String.class)).expectNext("alice", "!").verifyComplete();
            assertThat(seen).containsExactly("whoami", "whoamis");
        } finally {
            cli.dispose();
            srv.dispose();
        }
    }

    @Test
    void eitherSideCanCall() {
        RpcRouter clientSide = RpcRouter.builder().method("whoami", () -> Mono.just("client")).build();
        InMemoryTransport.Pair p = InMemoryTransport.pair();
        RpcPeer a = RpcPeer.builder(p.left()).router(clientSide).connect();
        RpcPeer b = RpcPeer.builder(p.right()).router(router).connect();
        try {
            StepVerifier.create(b.call("whoami", null, String.class)).expectNext("client").verifyComplete();
            StepVerifier.create(a.call("subtract", List.of(3, 2), Integer.class)).expectNext(1).verifyComplete();
        } finally {
            a.dispose();
            b.dispose();
        }
    }

    @Test
    void manyThreadsCallingAtOnceAllGetTheirOwnAnswers() {
        Flux<Integer> calls = Flux.range(0, 8).parallel(8).runOn(Schedulers.parallel())
                .flatMap(t -> Flux.range(0, 500).flatMap(i -> client.call("subtract", List.of(t * 1000 + i, 0),
                        Integer.class), 64))
                .sequential();
        StepVerifier.create(calls.collectList())
                .assertNext(all -> assertThat(all).hasSize(4000).doesNotHaveDuplicates())
                .verifyComplete();
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void oneCallAtATimeModeQueuesCallsInOrder() {
        AtomicInteger concurrent = new AtomicInteger();
        List<Integer> maxSeen = new CopyOnWriteArrayList<>();
        RpcRouter r = RpcRouter.builder().method("work", Integer.class, i -> Mono.fromCallable(() -> {
            maxSeen.add(concurrent.incrementAndGet());
            return i;
        }).delayElement(Duration.ofMillis(5)).doOnNext(v -> concurrent.decrementAndGet())).build();
        InMemoryTransport.Pair p = InMemoryTransport.pair();
        RpcPeer srv = RpcPeer.builder(p.right()).router(r).connect();
        RpcPeer cli = RpcPeer.builder(p.left()).maxConcurrentCalls(1).connect();
        try {
            StepVerifier.create(Flux.range(0, 20).flatMap(i -> cli.call("work", List.of(i), Integer.class)))
                    .expectNextSequence(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19))
                    .verifyComplete();
            assertThat(maxSeen).containsOnly(1);
        } finally {
            cli.dispose();
            srv.dispose();
        }
    }

    @Test
    void aFrameOverTheOutboundLimitIsRefusedWithoutSending() {
        InMemoryTransport.Pair p = InMemoryTransport.pair();
        RpcPeer srv = RpcPeer.builder(p.right()).router(router).connect();
        RpcPeer cli = RpcPeer.builder(p.left()).maxOutboundFrameBytes(100).connect();
        try {
            StepVerifier.create(cli.call("echo", List.of("x".repeat(200))))
                    .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("over the peer's limit of 100"))
                    .verify(Duration.ofSeconds(5));
            StepVerifier.create(cli.call("echo", List.of("ok"))).expectNextCount(1).verifyComplete();
            assertThat(cli.pendingCount()).isZero();
        } finally {
            cli.dispose();
            srv.dispose();
        }
    }
}
