package dev.plumb.rpc.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.test.internal.ContractMethods;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * What every {@link RpcConnection} must do, as {@code default} JUnit tests (after rsocket-java's
 * {@code TransportTest}): a test class implements this interface and {@link #connectToContractServer()}, and runs
 * calls, notifications in order, 10,000 pipelined calls, a 4 MB payload each way, a stream whose slow consumer
 * must hold back the producer's demand, a cancel that reaches the server, a call from the server back to the
 * client, and a close from the server's side.
 *
 * <p>For a transport that makes connected pairs in one process, two lines do it:
 *
 * <pre>{@code
 * class MyTransportTest implements TransportContract {
 *     public RpcConnection connectToContractServer() {
 *         MyTransport.Pair pair = MyTransport.pair();
 *         TransportContract.serve(pair.serverEnd());
 *         return pair.clientEnd();
 *     }
 * }
 * }</pre>
 *
 * <p>A transport with a real server binds it once (on 127.0.0.1) with {@link #serverRouter()} as its router; a
 * transport to another process runs a {@code main} that serves {@link #serverRouter()}. Each test opens its own
 * connection and closes it at the end. See {@code docs/testing.md}.
 */
@Timeout(120)
public interface TransportContract {

    /**
     * A new connection whose other end is served by a peer answering with {@link #serverRouter()} (a new router
     * per server is fine; one shared by many connections too).
     */
    RpcConnection connectToContractServer();

    /** The router the other end of {@link #connectToContractServer()} must answer with. */
    static RpcRouter serverRouter() {
        return ContractMethods.serverRouter();
    }

    /** Starts a peer answering with {@link #serverRouter()} on {@code serverEnd}, for an in-process pair. */
    static RpcPeer serve(RpcConnection serverEnd) {
        return RpcPeer.builder(serverEnd).router(serverRouter()).name("contract-server").connect();
    }

    /** Runs {@code test} with a client peer on a new connection, and closes it after. */
    private void withClient(Consumer<RpcPeer> test) {
        RpcConnection connection = connectToContractServer();
        assertTrue(connection != null, "connectToContractServer() returned null");
        RpcPeer peer = RpcPeer.builder(connection).router(ContractMethods.clientRouter()).name("contract-client")
                .connect();
        try {
            test.accept(peer);
        } finally {
            peer.dispose();
        }
    }

    @Test
    default void aCallRoundTrips() {
        withClient(peer -> {
            StepVerifier.create(peer.call("echo", List.of("héllo ✓", 1, List.of(true)), JsonNode.class))
                    .assertNext(n -> assertEquals("[\"héllo ✓\",1,[true]]", n.toString()))
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
        });
    }

    @Test
    default void aNotificationArrivesBeforeTheCallSentAfterIt() {
        withClient(peer -> {
            String token = UUID.randomUUID().toString();
            StepVerifier.create(peer.notify("remember", List.of(token, "first"))
                            .then(peer.call("recall", List.of(token), String.class)))
                    .expectNext("first")
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
        });
    }

    @Test
    default void tenThousandPipelinedCallsAllComeBack() {
        withClient(peer -> {
            StepVerifier.create(Flux.range(0, 10_000)
                            .flatMap(i -> peer.call("echo", List.of(i), JsonNode.class).map(n -> n.get(0).asLong()),
                                    256)
                            .reduce(0L, Long::sum))
                    .expectNext(9_999L * 10_000 / 2)
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
            assertEquals(0, peer.pendingCount(), "calls still pending");
        });
    }

    @Test
    default void aLargePayloadRoundTrips() {
        withClient(peer -> {
            String big = "x".repeat(4_000_000);
            StepVerifier.create(peer.call("echo", List.of(big), JsonNode.class))
                    .assertNext(n -> assertEquals(big.length(), n.get(0).asString().length()))
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
        });
    }

    /**
     * A consumer that takes 16 items at a time ({@code limitRate(16)}) and pauses every 50 items: the producer's
     * source on the server, measured with {@code doOnRequest}, never has more than 16 items requested and not yet
     * emitted, so its demand follows the consumer's over the wire instead of running ahead.
     */
    @Test
    default void aSlowConsumerKeepsTheProducersOutstandingDemandBounded() {
        withClient(peer -> {
            int n = 1_000;
            int window = 16;
            AtomicLong maxOutstanding = new AtomicLong();
            AtomicLong next = new AtomicLong();
            StepVerifier.create(peer.stream("ticks", List.of(n), JsonNode.class)
                            .limitRate(window)
                            .concatMap(t -> t.get("i").asInt() % 50 == 49
                                    ? Mono.delay(Duration.ofMillis(10)).thenReturn(t) : Mono.just(t))
                            .doOnNext(t -> {
                                assertEquals(next.getAndIncrement(), t.get("i").asLong(), "items in order");
                                maxOutstanding.accumulateAndGet(t.get("outstanding").asLong(), Math::max);
                            })
                            .count())
                    .expectNext((long) n)
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
            assertTrue(maxOutstanding.get() >= 1 && maxOutstanding.get() <= window,
                    "the producer's outstanding demand stayed within the consumer's window of " + window
                            + " (most seen: " + maxOutstanding.get() + ")");
        });
    }

    @Test
    default void aCancelledCallReachesTheServerAndTheConnectionGoesOn() {
        withClient(peer -> {
            String token = UUID.randomUUID().toString();
            Disposable slow = peer.call("sleep", List.of(60_000, token)).subscribe();
            StepVerifier.create(Mono.delay(Duration.ofMillis(10)).repeat()
                            .takeUntil(t -> peer.pendingCount() == 1).then())
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
            slow.dispose();
            assertEquals(0, peer.pendingCount(), "the cancelled call's slot is free");
            StepVerifier.create(peer.call("wasCancelled", List.of(token), Boolean.class))
                    .expectNext(true)
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
        });
    }

    @Test
    default void theServerCanCallTheClientBackDuringACall() {
        withClient(peer -> {
            StepVerifier.create(peer.call("callBack", List.of("ping"), JsonNode.class))
                    .assertNext(n -> assertEquals("[\"ping\"]", n.toString()))
                    .expectComplete()
                    .verify(ContractMethods.WAIT);
        });
    }

    @Test
    default void theServerClosingTheConnectionFailsThePendingCall() {
        withClient(peer -> {
            Mono<JsonNode> pending = peer.callRaw("sleep", List.of(600_000, "never-cancelled"), Duration.ZERO)
                    .map(raw -> (JsonNode) null);
            StepVerifier.create(pending.and(peer.call("closeAfter", List.of(100))))
                    .expectError(RpcConnectionClosedException.class)
                    .verify(ContractMethods.WAIT);
            StepVerifier.create(peer.onClose()).expectComplete().verify(ContractMethods.WAIT);
        });
    }
}
