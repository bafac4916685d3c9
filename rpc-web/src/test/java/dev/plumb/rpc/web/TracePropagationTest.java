package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcTraceContext;
import dev.plumb.rpc.RpcWireTap;
import dev.plumb.rpc.pipe.PipeTransport;
import dev.plumb.rpc.web.testkit.TraceChild;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * A trace started by an HTTP client continues in the server's handler and in the call that handler makes to a pipe
 * child (a real subprocess), and a WebSocket handshake carries it to the handlers of its connection.
 */
@Timeout(90)
class TracePropagationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> CHILD_FRAMES = new CopyOnWriteArrayList<>();
    private static RpcPeer child;
    private static DisposableServer server;
    private static String base;

    /** What the relay saw: its own trace and the child's. */
    record Seen(String here, String child) {
    }

    @BeforeAll
    static void start() {
        child = RpcPeer.builder(PipeTransport.command(TraceChild.command()).connect().block(WAIT))
                .filter(RpcTraceContext.propagation())
                .wireTap((name, dir, frame) -> {
                    if (dir == RpcWireTap.Direction.OUT) {
                        CHILD_FRAMES.add(new String(frame));
                    }
                })
                .connect();
        RpcRouter router = RpcRouter.builder()
                .method("relay", () -> RpcTraceContext.current().map(RpcTraceContext::traceparent)
                        .defaultIfEmpty("none")
                        .zipWith(child.call("trace", null, String.class), Seen::new))
                .build();
        server = HttpRpcServer.create().port(0).router(router).bindNow();
        base = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
        child.dispose();
    }

    @Test
    void aTraceFromAnHttpClientContinuesInTheHandlerAndInItsCallToAPipeChild() {
        RpcTraceContext root = RpcTraceContext.newRoot();
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc").filter(RpcTraceContext.propagation());

        Seen seen = client.call("relay", null, Seen.class).contextWrite(root.asContext()).block(WAIT);

        assertThat(seen).isEqualTo(new Seen(root.traceparent(), root.traceparent()));
        assertThat(CHILD_FRAMES).anyMatch(f -> f.contains("\"" + RpcMetadata.MEMBER + "\":{\"traceparent\":\""
                + root.traceparent() + "\"}"));
    }

    @Test
    void withoutATraceNothingIsAddedAndTheChildSeesNone() {
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc").filter(RpcTraceContext.propagation());
        assertThat(client.call("relay", null, Seen.class).block(WAIT)).isEqualTo(new Seen("none", "none"));
    }

    @Test
    void aWebSocketHandshakeCarriesTheTraceToItsConnectionsHandlers() {
        RpcTraceContext root = new RpcTraceContext(RpcTraceContext.newRoot().traceparent(), "plumb=1");
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://" + base + "/rpc/ws")).connect()
                .contextWrite(root.asContext()).block(WAIT);
        try {
            Seen seen = peer.call("relay", null, Seen.class).block(WAIT);
            assertThat(seen).isEqualTo(new Seen(root.traceparent(), root.traceparent()));
        } finally {
            peer.dispose();
        }
    }

    @Test
    void malformedTraceparentsAreIgnored() {
        assertThat(RpcTraceContext.fromMetadata(Map.of("traceparent", "00-abc-def-01"))).isNull();
        assertThat(RpcTraceContext.fromMetadata(Map.of("traceparent",
                "00-00000000000000000000000000000000-0000000000000001-01"))).isNull();
        RpcTraceContext t = RpcTraceContext.newRoot();
        assertThat(t.traceId()).hasSize(32);
        assertThat(t.parentId()).hasSize(16);
        assertThat(Mono.just(1).then(RpcTraceContext.current()).contextWrite(t.asContext()).block()).isEqualTo(t);
    }
}
