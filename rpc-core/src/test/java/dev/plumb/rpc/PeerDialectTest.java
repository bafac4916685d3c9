package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** How a peer copes with servers that bend the protocol (Civi::pipe does all of these). */
@Timeout(30)
class PeerDialectTest {

    private final InMemoryTransport.Pair pair = InMemoryTransport.pair();
    private final Sinks.Many<byte[]> fromScript = Sinks.many().unicast().onBackpressureBuffer();
    private final Flux<String> toScript;
    private RpcPeer client;

    PeerDialectTest() {
        pair.right().send(fromScript.asFlux()).subscribe();
        Sinks.Many<String> seen = Sinks.many().replay().all();
        pair.right().receive().map(b -> new String(b, StandardCharsets.UTF_8)).subscribe(seen::tryEmitNext);
        toScript = seen.asFlux();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.dispose();
        }
    }

    private void reply(String json) {
        fromScript.tryEmitNext(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whenTheOtherSideStopsSendingItsCallsAreStillAnsweredBeforeThePeerCloses() {
        RpcRouter slow = RpcRouter.builder()
                .method("slow", Integer.class, i -> reactor.core.publisher.Mono.just(i).delayElement(Duration.ofMillis(300)))
                .build();
        RpcPeer server = RpcPeer.builder(pair.left()).router(slow).connect();
        reply("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"params\":[1],\"id\":1}");
        reply("[{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"params\":[2],\"id\":2}]");
        fromScript.tryEmitComplete(); // end of input, like EOF on stdin
        StepVerifier.create(toScript.take(2).collectList())
                .assertNext(replies -> assertThat(String.join("\n", replies)).contains("\"result\":1").contains("\"result\":2"))
                .verifyComplete();
        StepVerifier.create(server.onClose()).verifyComplete();
        assertThat(server.runningCount()).isZero();
        StepVerifier.create(server.call("x", null)).expectError(RpcConnectionClosedException.class).verify();
    }

    @Test
    void anIdlessErrorGoesToTheOnlyCallInFlightWhenTheDialectSaysSo() {
        client = RpcPeer.builder(pair.left()).dialect(RpcDialect.strict().idlessErrorsToSoleCall(true)).connect();
        StepVerifier.create(client.call("api4", List.of("Queue", "get")))
                .then(() -> toScript.blockFirst(Duration.ofSeconds(5)))
                .then(() -> reply("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}"))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32700))
                .verify(Duration.ofSeconds(5));
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void aStrictPeerDropsAnIdlessErrorAndTheCallInFlightGoesOn() {
        client = RpcPeer.builder(pair.left()).timeout(Duration.ofSeconds(5)).connect();
        StepVerifier.create(client.call("api4", List.of("Queue", "get")))
                .then(() -> toScript.blockFirst(Duration.ofSeconds(5)))
                .then(() -> reply("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}"))
                .then(() -> reply("{\"jsonrpc\":\"2.0\",\"result\":7,\"id\":1}"))
                .assertNext(n -> assertThat(n.intValue()).isEqualTo(7))
                .verifyComplete();
    }

    @Test
    void repliesToNotificationsAndPrefixedRepliesAreTolerated() {
        client = RpcPeer.builder(pair.left()).dialect(RpcDialect.strict().inboundPrefix("ZZ")).connect();
        StepVerifier.create(client.notify("echo", List.of(1))).verifyComplete();
        reply("{\"jsonrpc\":\"2.0\",\"result\":[1]}"); // Civi::pipe answers notifications, without an id
        StepVerifier.create(client.call("echo", List.of(2)))
                .then(() -> toScript.skip(1).blockFirst(Duration.ofSeconds(5)))
                .then(() -> reply("ZZ{\"jsonrpc\":\"2.0\",\"result\":[2],\"id\":1}"))
                .assertNext(n -> assertThat(n.toString()).isEqualTo("[2]"))
                .verifyComplete();
    }

    @Test
    void noiseCanBeDroppedSilentlyTowardsServersThatPrintNoise() {
        client = RpcPeer.builder(pair.left()).dialect(RpcDialect.strict().replyToInvalidFrames(false)).connect();
        reply("Notice: undefined index");
        StepVerifier.create(client.call("echo", List.of(4)))
                .then(() -> reply("{\"jsonrpc\":\"2.0\",\"result\":4,\"id\":1}"))
                .assertNext(n -> assertThat(n.intValue()).isEqualTo(4))
                .verifyComplete();
        assertThat(toScript.take(Duration.ofMillis(200)).collectList().block())
                .as("only the call went out, no error reply to the noise").hasSize(1);
    }

    @Test
    void noiseOnTheLineIsAnsweredAsAParseErrorAndTheConnectionGoesOn() {
        client = RpcPeer.builder(pair.left()).connect();
        reply("Warning: something printed by PHP");
        StepVerifier.create(toScript.take(1))
                .assertNext(s -> assertThat(s).contains("-32700").contains("\"id\":null"))
                .verifyComplete();
        StepVerifier.create(client.call("echo", List.of(3)))
                .then(() -> reply("{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1}"))
                .assertNext(n -> assertThat(n.intValue()).isEqualTo(3))
                .verifyComplete();
    }

    @Test
    void aDialectsOwnCancellationStopsTheHandlerAndSendsNoReplyWhenItSaysSo() throws InterruptedException {
        java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
        RpcRouter router = RpcRouter.builder()
                .method("slow", () -> reactor.core.publisher.Mono.never().doOnCancel(cancelled::countDown))
                .method("fast", () -> reactor.core.publisher.Mono.just(1))
                .build();
        RpcDialect mcpLike = RpcDialect.strict().cancellation("notifications/cancelled", "requestId")
                .answerCancelledRequests(false);
        RpcPeer server = RpcPeer.builder(pair.left()).router(router).dialect(mcpLike).connect();
        try {
            reply("{\"jsonrpc\":\"2.0\",\"method\":\"slow\",\"id\":7}");
            reply("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7,\"reason\":\"x\"}}");
            reply("{\"jsonrpc\":\"2.0\",\"method\":\"fast\",\"id\":8}");
            assertThat(cancelled.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("handler cancelled").isTrue();
            assertThat(toScript.take(1).blockFirst(Duration.ofSeconds(5))).contains("\"id\":8");
            assertThat(toScript.take(Duration.ofMillis(300)).collectList().block())
                    .as("no reply for the cancelled call").noneMatch(s -> s.contains("\"id\":7"));
            assertThat(server.runningCount()).isZero();
        } finally {
            server.dispose();
        }
    }

    @Test
    void aLocalCancelIsSentTheDialectsWay() {
        client = RpcPeer.builder(pair.left())
                .dialect(RpcDialect.strict().cancellation("notifications/cancelled", "requestId")).connect();
        reactor.core.Disposable call = client.call("slow", null).subscribe();
        toScript.blockFirst(Duration.ofSeconds(5));
        call.dispose();
        assertThat(toScript.skip(1).blockFirst(Duration.ofSeconds(5)))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":1}}");
    }

    @Test
    void partialResultsGoOutAsProgressNotificationsWhenTheRequestCarriesAToken() {
        RpcRouter router = RpcRouter.builder()
                .method("symbols", java.util.Map.class, p -> Flux.just("a", "b", "c"))
                .build();
        RpcPeer server = RpcPeer.builder(pair.left()).router(router)
                .dialect(RpcDialect.strict().partialResults("partialResultToken", "$/progress")).connect();
        try {
            reply("{\"jsonrpc\":\"2.0\",\"method\":\"symbols\",\"params\":{\"partialResultToken\":\"t1\"},\"id\":1}");
            reply("{\"jsonrpc\":\"2.0\",\"method\":\"symbols\",\"params\":{},\"id\":2}");
            assertThat(toScript.take(5).collectList().block(Duration.ofSeconds(5))).containsExactly(
                    "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":\"t1\",\"value\":[\"a\"]}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":\"t1\",\"value\":[\"b\"]}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"$/progress\",\"params\":{\"token\":\"t1\",\"value\":[\"c\"]}}",
                    "{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":1}",
                    "{\"jsonrpc\":\"2.0\",\"result\":[\"a\",\"b\",\"c\"],\"id\":2}");
        } finally {
            server.dispose();
        }
    }
}
