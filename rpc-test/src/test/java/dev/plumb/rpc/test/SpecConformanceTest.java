package dev.plumb.rpc.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * rpc-core's conformance: every example of the specification and every supplementary vector, through the router
 * alone (the stateless path HTTP uses) and through a peer on a connection. Here rather than in rpc-core, whose tests
 * cannot depend on this module (rpc-test depends on rpc-core).
 */
@Timeout(60)
class SpecConformanceTest {

    private static final String SENTINEL = "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"sentinel\"}";

    private static RpcPeer server;
    private static Sinks.Many<byte[]> toServer;
    private static Flux<byte[]> fromServer;

    @BeforeAll
    static void startServer() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        server = RpcPeer.builder(pair.right()).router(SpecRouter.create()).connect();
        toServer = Sinks.many().unicast().onBackpressureBuffer();
        pair.left().send(toServer.asFlux()).subscribe();
        Sinks.Many<byte[]> inbound = Sinks.many().replay().all();
        pair.left().receive().subscribe(inbound::tryEmitNext);
        fromServer = inbound.asFlux();
    }

    @AfterAll
    static void stopServer() {
        server.dispose();
    }

    static List<SpecExample> examples() {
        return SpecExamples.all();
    }

    @Test
    void everyExampleOfTheSpecificationAndEverySupplementaryVectorIsRead() {
        List<SpecExample> all = examples();
        assertThat(all.stream().filter(v -> v.name().matches("\\d+\\..*")).map(v -> v.name().split("\\.")[0])
                .distinct()).hasSize(12);
        assertThat(all.stream().filter(v -> v.name().startsWith("S")).map(v -> v.name().split("\\.")[0])
                .distinct()).hasSize(11);
        assertThat(all).hasSize(27);
        assertThat(all).filteredOn(SpecExample::expectsNoAnswer).extracting(SpecExample::name)
                .containsExactly("3. a Notification: #1", "3. a Notification: #2",
                        "12. rpc call Batch (all notifications): #1",
                        all.stream().filter(e -> e.name().startsWith("S7.")).findFirst().orElseThrow().name());
    }

    @Test
    void aStrictAndALenientAnswerAreToldApart() {
        SpecExample paramsNull = examples().stream().filter(e -> e.name().startsWith("S3.")).findFirst()
                .orElseThrow();
        assertThat(paramsNull.response()).contains("-32600");
        assertThat(paramsNull.accepted()).hasSize(2).last().asString().contains("\"result\"");
    }

    @Test
    void aWrongAnswerFails() {
        SpecExample first = examples().get(0);
        first.assertAnswer("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}");
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> first.assertAnswer("{\"jsonrpc\":\"2.0\",\"result\":20,\"id\":1}"));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> first.assertAnswer(null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void routerAnswersAsTheSpecificationShows(SpecExample example) {
        byte[] reply = SpecRouter.create().respond(example.request().getBytes(StandardCharsets.UTF_8))
                .block(Duration.ofSeconds(5));
        example.assertAnswer(reply == null ? null : new String(reply, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    synchronized void peerAnswersAsTheSpecificationShowsOverAConnection(SpecExample example) {
        long before = fromServerCount();
        toServer.tryEmitNext(example.request().getBytes(StandardCharsets.UTF_8));
        toServer.tryEmitNext(SENTINEL.getBytes(StandardCharsets.UTF_8));
        int expectedFrames = example.expectsNoAnswer() ? 1 : 2;
        List<String> frames = fromServer.skip(before)
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .take(expectedFrames)
                .collectList()
                .block(Duration.ofSeconds(5));
        List<String> others = new ArrayList<>();
        boolean sentinelSeen = false;
        for (String f : frames) {
            if (f.contains("\"sentinel\"")) {
                sentinelSeen = true;
            } else {
                others.add(f);
            }
        }
        assertThat(sentinelSeen).isTrue();
        example.assertAnswer(others.isEmpty() ? null : others.get(0));
    }

    private static long fromServerCount() {
        return fromServer.take(Duration.ofMillis(50)).count().block();
    }
}
