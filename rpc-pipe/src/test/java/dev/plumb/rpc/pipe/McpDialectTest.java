package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The {@link Mcp} dialect between two peers in memory: the initialisation rule, ping, progress correlated to its
 * call, {@code _meta} passed through, MCP cancellation with no reply. (The examples module runs the same over real
 * child processes, and against the official TypeScript SDK.)
 */
@Timeout(30)
class McpDialectTest {

    private static final Duration T = Duration.ofSeconds(10);
    private final Mcp mcp = Mcp.dialect();
    private RpcPeer server;
    private RpcPeer client;
    private final AtomicReference<RawJson> lastParams = new AtomicReference<>();
    private final AtomicInteger initializedSeen = new AtomicInteger();
    private final CountDownLatch slowCancelled = new CountDownLatch(1);

    private void connect(Mcp dialect) {
        RpcRouter routes = dialect.serverRoutes(RpcRouter.builder()
                .handler("initialize", call -> Mono.just(Map.of("protocolVersion", Mcp.PROTOCOL_VERSION)))
                .handler("notifications/initialized", call -> {
                    initializedSeen.incrementAndGet();
                    return Mono.empty();
                })
                .handler("tools/list", call -> {
                    lastParams.set(call.params().raw());
                    return Mono.just(Map.of("tools", List.of()));
                })
                .handler("count", call -> {
                    Object token = Mcp.progressToken(call.params().asNode().get("_meta"));
                    int n = call.params().asNode().path("n").asInt();
                    return Flux.range(1, n).concatMap(i -> Mcp.progress(token, i, (double) n, "at " + i))
                            .then(Mono.just("done " + n));
                })
                .handler("slow", call -> Mono.never().doOnCancel(slowCancelled::countDown)))
                .build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        server = mcp.peer(RpcPeer.builder(pair.left())).router(routes).connect();
        client = mcp.peer(RpcPeer.builder(pair.right())).router(mcp.clientRoutes(RpcRouter.builder()).build())
                .connect();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.dispose();
            server.dispose();
        }
    }

    @Test
    void nothingButPingAndInitializeBeforeTheSessionIsInitialised() {
        connect(mcp);
        Mcp.ping(client).block(T);
        assertThatThrownBy(() -> client.call("tools/list", null).block(T))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(Mcp.NOT_INITIALIZED);
                    assertThat(e.error().message()).isEqualTo("Server not initialized");
                });
        client.notify(Mcp.INITIALIZED, null).block(T); // before initialize: dropped, opens nothing
        assertThatThrownBy(() -> client.call("tools/list", null).block(T)).isInstanceOf(RpcErrorException.class);
        assertThat(Mcp.initialize(client, Map.of("protocolVersion", "2025-06-18"), JsonNode.class).block(T)
                .path("protocolVersion").asString()).isEqualTo(Mcp.PROTOCOL_VERSION);
        assertThat(client.call("tools/list", null).block(T).path("tools").isArray()).isTrue();
        assertThat(initializedSeen).as("the application's handler still sees it").hasValue(1);
        Mcp.ping(server).block(T); // the client answers ping too
    }

    @Test
    void withoutTheRuleEverythingGoesThrough() {
        connect(mcp.requireInitialization(false));
        assertThat(client.call("tools/list", null).block(T).path("tools").isArray()).isTrue();
    }

    @Test
    void metaReachesTheHandlerAsSentAndProgressReachesItsOwnCallerInOrder() {
        connect(mcp);
        Mcp.initialize(client, Map.of(), JsonNode.class).block(T);
        client.call("tools/list", RawJson.of("{\"cursor\":\"c1\",\"_meta\":{\"trace\":\"t-1\"}}")).block(T);
        assertThat(lastParams.get()).hasToString("{\"cursor\":\"c1\",\"_meta\":{\"trace\":\"t-1\"}}");

        List<List<Mcp.Update<String>>> runs = Flux.merge(
                Mcp.callWithProgress(client, "count", Map.of("n", 3, "_meta", Map.of("trace", "a")), String.class)
                        .collectList(),
                Mcp.callWithProgress(client, "count", Map.of("n", 5), String.class).collectList())
                .collectList().block(T);
        assertThat(runs).extracting(List::size).containsExactlyInAnyOrder(4, 6);
        for (List<Mcp.Update<String>> run : runs) {
            int n = run.size() - 1;
            for (int i = 0; i < n; i++) {
                assertThat(run.get(i)).isEqualTo(new Mcp.Progress<String>(i + 1, (double) n, "at " + (i + 1)));
            }
            assertThat(run.get(n)).isEqualTo(new Mcp.Result<>("done " + n));
        }
        List<Double> seen = new java.util.ArrayList<>();
        assertThat(Mcp.call(client, "count", null, String.class, p -> seen.add(p.progress())).block(T))
                .isEqualTo("done 0");
        assertThat(seen).isEmpty();
    }

    @Test
    void aCancelledCallStopsItsHandlerAndIsNotAnswered() throws Exception {
        connect(mcp);
        Mcp.initialize(client, Map.of(), JsonNode.class).block(T);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Disposable call = client.callRaw("slow", Map.of(), Duration.ZERO, id -> { })
                .subscribe(outcome::set, outcome::set);
        while (server.runningCount() == 0) {
            Thread.sleep(5);
        }
        call.dispose();
        assertThat(slowCancelled.await(10, TimeUnit.SECONDS)).isTrue();
        while (server.runningCount() != 0) { // its slot is freed
            Thread.sleep(5);
        }
        Mcp.ping(client).block(T); // anything sent for the cancelled call would have arrived before this
        assertThat(outcome.get()).isNull();
        assertThat(client.pendingCount()).isZero();
    }

    @Test
    void progressTokensAreFoundInAnyFormOfMeta() {
        assertThat(Mcp.progressToken(Map.of("progressToken", 5))).isEqualTo(5);
        assertThat(Mcp.progressToken(RawJson.of("{\"progressToken\":\"abc\"}"))).hasToString("\"abc\"");
        assertThat(Mcp.progressToken(RawJson.of("{}"))).isNull();
        assertThat(Mcp.progressToken(null)).isNull();
        assertThat(Mcp.negotiateVersion("2025-06-18")).isEqualTo("2025-06-18");
        assertThat(Mcp.negotiateVersion("1999-01-01")).isEqualTo(Mcp.PROTOCOL_VERSION);
        assertThat(mcp.peerDialect().cancelMethod()).isEqualTo("notifications/cancelled");
        assertThat(mcp.peerDialect().cancelIdMember()).isEqualTo("requestId");
        assertThat(mcp.peerDialect().answersCancelledRequests()).isFalse();
    }
}
