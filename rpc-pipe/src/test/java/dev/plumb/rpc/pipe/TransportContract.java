package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcPeer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * What every transport must do, as default tests (after rsocket-java's TransportTest): a class implements
 * {@link #connectToEchoServer()} with a connection to a server running {@code EchoServer.router()}.
 */
@Timeout(60)
interface TransportContract {

    Duration WAIT = Duration.ofSeconds(30);

    /** A new connection to a server answering with {@code EchoServer.router()}. */
    RpcConnection connectToEchoServer();

    private RpcPeer peer() {
        return RpcPeer.builder(connectToEchoServer()).connect();
    }

    @Test
    default void aCallRoundTrips() {
        RpcPeer peer = peer();
        try {
            StepVerifier.create(peer.call("echo", List.of("héllo", 1), JsonNode.class))
                    .assertNext(n -> assertThat(n.toString()).isEqualTo("[\"héllo\",1]"))
                    .verifyComplete();
        } finally {
            peer.dispose();
        }
    }

    @Test
    default void tenThousandPipelinedCallsAllComeBack() {
        RpcPeer peer = peer();
        try {
            StepVerifier.create(Flux.range(0, 10_000)
                            .flatMap(i -> peer.call("echo", List.of(i), JsonNode.class).map(n -> n.get(0).asLong()),
                                    256)
                            .reduce(0L, Long::sum))
                    .expectNext(9_999L * 10_000 / 2)
                    .verifyComplete();
            assertThat(peer.pendingCount()).isZero();
        } finally {
            peer.dispose();
        }
    }

    @Test
    default void aLargePayloadRoundTrips() {
        RpcPeer peer = peer();
        try {
            StepVerifier.create(peer.call("echo", List.of("x".repeat(4_000_000)), JsonNode.class))
                    .assertNext(n -> assertThat(n.get(0).asString()).hasSize(4_000_000))
                    .verifyComplete();
        } finally {
            peer.dispose();
        }
    }

    @Test
    default void aLongStreamArrivesWithBackpressure() {
        RpcPeer peer = peer();
        try {
            StepVerifier.create(peer.stream("ticks", List.of(20_000), Integer.class).limitRate(32)
                            .reduce(0L, (a, b) -> a + b))
                    .expectNext(19_999L * 20_000 / 2)
                    .verifyComplete();
        } finally {
            peer.dispose();
        }
    }

    @Test
    default void aCancelledCallFreesItsSlotAndTheConnectionGoesOn() {
        RpcPeer peer = peer();
        try {
            Disposable slow = peer.call("sleep", List.of(20_000)).subscribe();
            StepVerifier.create(Mono.delay(Duration.ofMillis(10)).repeat()
                    .takeUntil(t -> peer.pendingCount() == 1).then()).verifyComplete();
            slow.dispose();
            assertThat(peer.pendingCount()).isZero();
            StepVerifier.create(peer.call("echo", List.of(7), JsonNode.class))
                    .assertNext(n -> assertThat(n.get(0).asInt()).isEqualTo(7))
                    .verifyComplete();
        } finally {
            peer.dispose();
        }
    }
}
