package dev.plumb.rpc.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcTimeoutException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** One observation per call on both sides, with the keys of how it ended. */
@Timeout(30)
class RpcObservationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final CountDownLatch hanging = new CountDownLatch(1);
    private RpcPeer server;
    private RpcPeer client;

    private void connect(ObservationRegistry observations, int maxConcurrentCalls) {
        RpcRouter router = RpcRouter.builder()
                .filter(RpcObservation.serverFilter(observations))
                .method("add", int[].class, a -> Mono.just(a[0] + a[1]))
                .method("refuse", () -> Mono.error(new RpcErrorException(-32050, "refused")))
                .method("boom", () -> Mono.error(new IllegalStateException("bug")))
                .method("hang", () -> Mono.never().doOnSubscribe(s -> hanging.countDown()))
                .method("count", Integer.class, n -> Flux.range(1, n))
                .method("parent", () -> Mono.deferContextual(ctx ->
                        Mono.just(ctx.getOrDefault("micrometer.observation", null) instanceof Observation)))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        server = RpcPeer.builder(pair.right()).router(router).connect();
        RpcPeer.Builder b = RpcPeer.builder(pair.left()).filter(RpcObservation.clientFilter(observations));
        client = (maxConcurrentCalls > 0 ? b.maxConcurrentCalls(maxConcurrentCalls) : b).connect();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.dispose();
            server.dispose();
        }
    }

    private void awaitStopped(String name, int n) throws InterruptedException {
        BooleanSupplier done = () -> registry.getCurrentObservation() == null && stopped(name) >= n;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private long stopped(String name) {
        long[] n = {0};
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts ->
                n[0] = contexts.stream().filter(c -> name.equals(c.getName())
                        && c.getLowCardinalityKeyValue(RpcObservation.OUTCOME) != null).count());
        return n[0];
    }

    @Test
    void aSuccessfulCallIsObservedOnBothSides() throws InterruptedException {
        connect(registry, 0);
        assertThat(client.call("add", List.of(2, 3), Integer.class).block(WAIT)).isEqualTo(5);
        awaitStopped(RpcObservation.SERVER, 1);

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(RpcObservation.CLIENT, 1)
                .hasNumberOfObservationsWithNameEqualTo(RpcObservation.SERVER, 1)
                .forAllObservationsWithNameEqualTo(RpcObservation.CLIENT, o -> o
                        .hasLowCardinalityKeyValue("rpc.method", "add")
                        .hasLowCardinalityKeyValue("rpc.side", "client")
                        .hasLowCardinalityKeyValue("rpc.outcome", "SUCCESS")
                        .hasLowCardinalityKeyValue("rpc.jsonrpc.error_code", "none"))
                .forAllObservationsWithNameEqualTo(RpcObservation.SERVER, o -> o
                        .hasLowCardinalityKeyValue("rpc.method", "add")
                        .hasLowCardinalityKeyValue("rpc.side", "server")
                        .hasLowCardinalityKeyValue("rpc.outcome", "SUCCESS"))
                // the request went out at once: its running part is observed as well
                .forAllObservationsWithNameEqualTo(RpcObservation.CLIENT_RUNNING, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "SUCCESS"));
    }

    @Test
    void errorsCarryTheirJsonRpcCode() throws InterruptedException {
        connect(registry, 0);
        assertThatThrownBy(() -> client.call("refuse", null).block(WAIT)).isInstanceOf(RpcErrorException.class);
        assertThatThrownBy(() -> client.call("boom", null).block(WAIT)).isInstanceOf(RpcErrorException.class);
        awaitStopped(RpcObservation.SERVER, 2);

        TestObservationRegistryAssert.assertThat(registry)
                .hasAnObservation(o -> o.hasNameEqualTo(RpcObservation.CLIENT)
                        .hasLowCardinalityKeyValue("rpc.method", "refuse")
                        .hasLowCardinalityKeyValue("rpc.outcome", "ERROR")
                        .hasLowCardinalityKeyValue("rpc.jsonrpc.error_code", "-32050").hasError())
                .hasAnObservation(o -> o.hasNameEqualTo(RpcObservation.SERVER)
                        .hasLowCardinalityKeyValue("rpc.method", "refuse")
                        .hasLowCardinalityKeyValue("rpc.outcome", "ERROR")
                        .hasLowCardinalityKeyValue("rpc.jsonrpc.error_code", "-32050"))
                .hasAnObservation(o -> o.hasNameEqualTo(RpcObservation.SERVER)
                        .hasLowCardinalityKeyValue("rpc.method", "boom")
                        .hasLowCardinalityKeyValue("rpc.jsonrpc.error_code", "-32603"))
                .hasAnObservation(o -> o.hasNameEqualTo(RpcObservation.CLIENT)
                        .hasLowCardinalityKeyValue("rpc.method", "boom")
                        .hasLowCardinalityKeyValue("rpc.jsonrpc.error_code", "-32603"));
    }

    @Test
    void aTimeoutIsObservedAsSuchAndTheServerSideAsCancelled() throws InterruptedException {
        connect(registry, 0);
        assertThatThrownBy(() -> client.callRaw("hang", null, Duration.ofMillis(200)).block(WAIT))
                .isInstanceOf(RpcTimeoutException.class);
        awaitStopped(RpcObservation.SERVER, 1);

        TestObservationRegistryAssert.assertThat(registry)
                .forAllObservationsWithNameEqualTo(RpcObservation.CLIENT, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "TIMEOUT"))
                .forAllObservationsWithNameEqualTo(RpcObservation.SERVER, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "CANCELLED"));
    }

    @Test
    void aCancelledCallIsObservedAsCancelledOnBothSides() throws InterruptedException {
        connect(registry, 0);
        Disposable call = client.call("hang", null).subscribe();
        assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
        call.dispose();
        awaitStopped(RpcObservation.SERVER, 1);

        TestObservationRegistryAssert.assertThat(registry)
                .forAllObservationsWithNameEqualTo(RpcObservation.CLIENT, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "CANCELLED"))
                .forAllObservationsWithNameEqualTo(RpcObservation.SERVER, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "CANCELLED"));
    }

    @Test
    void aStreamIsObservedUntilItEnds() throws InterruptedException {
        connect(registry, 0);
        assertThat(client.stream("count", 3, Integer.class).collectList().block(WAIT)).containsExactly(1, 2, 3);
        awaitStopped(RpcObservation.SERVER, 1);
        TestObservationRegistryAssert.assertThat(registry)
                .forAllObservationsWithNameEqualTo(RpcObservation.CLIENT, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "SUCCESS"))
                .forAllObservationsWithNameEqualTo(RpcObservation.SERVER, o -> o
                        .hasLowCardinalityKeyValue("rpc.outcome", "SUCCESS"));
    }

    @Test
    void aCallWaitingForASlotIsQueuedBeforeItRuns() throws InterruptedException {
        connect(registry, 1);
        Disposable first = client.call("hang", null).subscribe();
        assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
        Mono<Integer> second = client.call("add", List.of(1, 1), Integer.class);
        Disposable waiting = second.subscribe();
        Thread.sleep(100);
        // the second call is observed, but has not started running: its request has not gone out
        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(RpcObservation.CLIENT, 2)
                .hasNumberOfObservationsWithNameEqualTo(RpcObservation.CLIENT_RUNNING, 1);
        first.dispose();
        waiting.dispose();
    }

    @Test
    void theHandlerRunsUnderItsObservation() {
        connect(registry, 0);
        assertThat(client.call("parent", null, Boolean.class).block(WAIT)).isTrue();
    }

    @Test
    void aNoopRegistryObservesNothingAndTheServerFilterSkips() {
        connect(ObservationRegistry.NOOP, 0);
        assertThat(client.call("add", List.of(2, 3), Integer.class).block(WAIT)).isEqualTo(5);
        assertThat(RpcObservation.serverFilter(ObservationRegistry.NOOP)
                .skips(null, reactor.util.context.Context.empty())).isTrue();
        assertThat(client.call("parent", null, Boolean.class).block(WAIT)).isFalse();
    }

    /** Stands in for Micrometer Tracing's propagating handlers: writes a trace on send, reads it on receipt. */
    private static final class FakeTracingHandler
            implements io.micrometer.observation.ObservationHandler<Observation.Context> {
        final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            if (context instanceof RpcClientObservationContext c) {
                c.getSetter().set(c.getCarrier(), "traceparent", TRACE);
            } else if (context instanceof RpcServerObservationContext s) {
                received.add(String.valueOf(s.getGetter().get(s.getCarrier(), "traceparent")));
            }
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Test
    void aTracingHandlerPropagatesTheTraceThroughTheCallsMetadata() throws InterruptedException {
        FakeTracingHandler tracing = new FakeTracingHandler();
        registry.observationConfig().observationHandler(tracing);
        connect(registry, 0);
        assertThat(client.call("add", List.of(1, 2), Integer.class).block(WAIT)).isEqualTo(3);
        awaitStopped(RpcObservation.SERVER, 1);
        assertThat(tracing.received).containsExactly(TRACE);
    }

    @Test
    void gaugesShowAPeersLoadAndGoAwayWithIt() throws InterruptedException {
        connect(registry, 0);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RpcPeerGauges.register(client, meters, Tags.of("peer", "client"));
        RpcPeerGauges.register(server, meters, Tags.of("peer", "server"));
        Disposable call = client.call("hang", null).subscribe();
        assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(meters.get(RpcPeerGauges.PENDING).tag("peer", "client").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(RpcPeerGauges.IN_FLIGHT).tag("peer", "server").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(RpcPeerGauges.STREAM_CREDIT).tag("peer", "server").gauge().value()).isEqualTo(0.0);
        call.dispose();
        client.dispose();
        server.onClose().block(WAIT);
        Thread.sleep(50);
        assertThat(meters.find(RpcPeerGauges.PENDING).gauges()).isEmpty();
    }
}
