package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcWireTap;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/** Outgoing filters and the wire tap against a real HTTP and WebSocket server on loopback. */
@Timeout(60)
class FiltersAndWireTapOverHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> SERVER_TAP = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FLAKY = new AtomicInteger();
    private static DisposableServer server;
    private static String base;

    @BeforeAll
    static void start() {
        RpcRouter router = RpcRouter.builder()
                .method("header", String.class, name -> RpcMetadata.current().mapNotNull(m -> m.get(name)))
                .method("flaky", () -> Mono.defer(() -> FLAKY.incrementAndGet() % 2 == 1
                        ? Mono.error(new RpcErrorException(-32050, "try again")) : Mono.just("ok")))
                .method("count", Integer.class, n -> Flux.range(1, n))
                .build();
        server = HttpRpcServer.create().port(0).router(router)
                .options(HttpRpcOptions.defaults().wireTap((name, dir, frame) ->
                        SERVER_TAP.add(name + " " + dir + " " + new String(frame))))
                .bindNow();
        base = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @Test
    void metadataAddedByAFilterArrivesAsHeadersTheServerSees() {
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc")
                .filter((call, next) -> next.proceed(call.withMetadata("x-tenant", "acme")));
        assertThat(client.call("header", List.of("x-tenant"), String.class).block(WAIT)).isEqualTo("acme");
        assertThat(client.call("header", List.of("X-Tenant"), String.class).block(WAIT)).isEqualTo("acme");
        assertThat(client.stream("count", List.of(2), Integer.class).collectList().block(WAIT)).containsExactly(1, 2);
    }

    @Test
    void aFilterThatSkipsACallIsPassedBy() {
        AtomicInteger runs = new AtomicInteger();
        dev.plumb.rpc.RpcClientFilter skipsHeaderCalls = new dev.plumb.rpc.RpcClientFilter() {
            @Override
            public Flux<dev.plumb.rpc.RawJson> filter(dev.plumb.rpc.RpcClientCall call, Next next) {
                runs.incrementAndGet();
                return next.proceed(call.withMetadata("x-tenant", "filtered"));
            }

            @Override
            public boolean skips(dev.plumb.rpc.RpcClientCall call) {
                return call.method().equals("header");
            }
        };
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc")
                .filter((call, next) -> next.proceed(call.withMetadata("x-outer", "outer")))
                .filter(skipsHeaderCalls);
        assertThat(client.call("header", List.of("x-outer"), String.class).block(WAIT)).isEqualTo("outer");
        assertThat(client.call("header", List.of("x-tenant"), String.class).block(WAIT)).isNull();
        assertThat(runs).hasValue(0);
        assertThat(client.stream("count", List.of(2), Integer.class).collectList().block(WAIT)).containsExactly(1, 2);
        assertThat(runs).hasValue(1);
    }

    @Test
    void credentialsAreNotMetadata() {
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc").token("secret");
        assertThat(client.call("header", List.of("authorization"), String.class).block(WAIT)).isNull();
    }

    @Test
    void aRetryFilterRetriesOverHttp() {
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc")
                .filter((call, next) -> next.proceed(call).retry(1));
        for (int i = 0; i < 3; i++) {
            assertThat(client.call("flaky", null, String.class).block(WAIT)).isEqualTo("ok");
        }
    }

    @Test
    void theTapSeesRequestAndReplyBodiesOnClientAndServer() {
        List<String> clientTap = new CopyOnWriteArrayList<>();
        HttpRpcClient client = HttpRpcClient.create("http://" + base + "/rpc")
                .wireTap((name, dir, frame) -> clientTap.add(name + " " + dir + " " + new String(frame)));
        SERVER_TAP.clear();

        assertThat(client.call("header", List.of("host"), String.class).block(WAIT)).isEqualTo(base);

        String request = "{\"jsonrpc\":\"2.0\",\"method\":\"header\",\"params\":[\"host\"],\"id\":1}";
        String reply = "{\"jsonrpc\":\"2.0\",\"result\":\"" + base + "\",\"id\":1}";
        assertThat(clientTap).containsExactly(
                "http://" + base + "/rpc OUT " + request,
                "http://" + base + "/rpc IN " + reply);
        assertThat(SERVER_TAP).containsExactly("http/rpc IN " + request, "http/rpc OUT " + reply);
    }

    @Test
    void theTapSeesWebSocketFramesBothWaysAndHandshakeHeadersAreMetadata() {
        SERVER_TAP.clear();
        List<String> clientTap = new CopyOnWriteArrayList<>();
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://" + base + "/rpc/ws"))
                .header("x-tenant", "ws-tenant")
                .peerSettings(b -> b.wireTap((name, dir, frame) -> clientTap.add(dir + " " + new String(frame))))
                .connect().block(WAIT);
        try {
            assertThat(peer.call("header", List.of("x-tenant"), String.class).block(WAIT)).isEqualTo("ws-tenant");
        } finally {
            peer.dispose();
        }
        assertThat(clientTap).hasSize(2);
        assertThat(clientTap.get(0)).startsWith("OUT {\"jsonrpc\":\"2.0\",\"method\":\"header\"");
        assertThat(clientTap.get(1)).startsWith("IN {\"jsonrpc\":\"2.0\",\"result\":\"ws-tenant\"");
        assertThat(SERVER_TAP).hasSize(2);
        assertThat(SERVER_TAP.get(0)).contains(" IN {\"jsonrpc\":\"2.0\",\"method\":\"header\"");
        assertThat(SERVER_TAP.get(1)).contains(" OUT {\"jsonrpc\":\"2.0\",\"result\":\"ws-tenant\"");
    }

    @Test
    void theLoggingTapCutsLongFrames() {
        String cut = dev.plumb.rpc.internal.LoggingWireTap.render("x".repeat(100).getBytes(), 10);
        assertThat(cut).isEqualTo("xxxxxxxxxx… (100 bytes)");
        assertThat(RpcWireTap.LOGGER).isEqualTo("dev.plumb.rpc.wire");
    }
}
