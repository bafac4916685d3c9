package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.spring.app.Inventory;
import dev.plumb.rpc.spring.app.PlumbApp;
import dev.plumb.rpc.web.WebSocketRpcClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * The WebSocket endpoint's limits, peers and callbacks: messages past WebFlux's own 64 KiB default but within
 * {@code plumb.rpc.max-body-size} cross both ways, larger ones close the connection with 1009, and
 * {@link RpcConnectListener} beans get a peer through which the server calls the client.
 */
@SpringBootTest(classes = {PlumbApp.class, WebSocketEndpointTest.Listener.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"plumb.rpc.max-body-size=256KB", "plumb.rpc.websocket.timeout=5s"})
@AutoConfigureWebTestClient
@Timeout(60)
class WebSocketEndpointTest {

    private static final int KIB = 1024;

    /** Collects each connection's peer, and sets a peer setting as an application would. */
    @TestConfiguration
    static class Listener {
        final List<RpcPeer> peers = new CopyOnWriteArrayList<>();

        @Bean
        RpcConnectListener collect() {
            return peers::add;
        }

        @Bean
        RpcPeerCustomizer named() {
            return builder -> builder.name("custom");
        }

        @Bean
        RpcRouterCustomizer traceEcho() {
            return router -> router.method("test/trace", () -> dev.plumb.rpc.RpcTraceContext.current()
                    .map(dev.plumb.rpc.RpcTraceContext::traceparent).defaultIfEmpty("none"));
        }
    }

    @Autowired
    Listener listener;

    @Autowired
    WebTestClient web;

    @LocalServerPort
    int port;

    private RpcPeer connect(RpcRouter clientSide) {
        return WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + port + "/rpc/ws"))
                .router(clientSide)
                .connect().block(Duration.ofSeconds(20));
    }

    @Test
    void theHandshakesTraceHeadersReachTheHandlersOfItsConnection() {
        dev.plumb.rpc.RpcTraceContext trace = dev.plumb.rpc.RpcTraceContext.newRoot();
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + port + "/rpc/ws"))
                .connect().contextWrite(trace.asContext()).block(Duration.ofSeconds(20));
        try {
            assertThat(peer.call("test/trace", null, String.class).block(Duration.ofSeconds(10)))
                    .isEqualTo(trace.traceparent());
        } finally {
            peer.dispose();
        }
    }

    @Test
    void messagesBeyondWebFluxsDefault64KiBButWithinTheLimitCrossBothWays() {
        RpcPeer peer = connect(RpcRouter.empty());
        try {
            Inventory inventory = peer.proxy(Inventory.class);
            assertThat(inventory.length("y".repeat(200 * KIB)).block(Duration.ofSeconds(20))).isEqualTo(200 * KIB);
            assertThat(inventory.text(200 * KIB).block(Duration.ofSeconds(20))).hasSize(200 * KIB);
        } finally {
            peer.dispose();
        }
    }

    @Test
    void aMessageOverTheLimitClosesTheConnection() {
        RpcPeer peer = connect(RpcRouter.empty());
        Inventory inventory = peer.proxy(Inventory.class);
        assertThatThrownBy(() -> inventory.length("z".repeat(300 * KIB)).block(Duration.ofSeconds(20)))
                .isInstanceOf(RpcConnectionClosedException.class);
        peer.onClose().block(Duration.ofSeconds(20));
        assertThat(peer.isDisposed()).isTrue();
    }

    @Test
    void aBodyOverTheLimitIs413OverHttpToo() {
        web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/length\",\"params\":[\"" + "z".repeat(300 * KIB)
                        + "\"],\"id\":1}")
                .exchange().expectStatus().isEqualTo(413);
    }

    @Test
    void aConnectListenerGetsAPeerThroughWhichTheServerCallsTheClient() {
        int before = listener.peers.size();
        RpcPeer client = connect(RpcRouter.builder()
                .method("client/greet", String.class, who -> Mono.just("hello " + who))
                .build());
        try {
            assertThat(client.proxy(Inventory.class).whoami().block(Duration.ofSeconds(20))).isEqualTo("nobody");
            assertThat(listener.peers).hasSize(before + 1);
            RpcPeer serverSide = listener.peers.get(before);
            assertThat(serverSide.name()).isEqualTo("custom");
            assertThat(serverSide.call("client/greet", List.of("server"), String.class).block(Duration.ofSeconds(20)))
                    .isEqualTo("hello server");
        } finally {
            client.dispose();
        }
        listener.peers.get(before).onClose().block(Duration.ofSeconds(20));
    }
}
