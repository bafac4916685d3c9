package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.spring.app.Inventory;
import dev.plumb.rpc.spring.app.InventoryService;
import dev.plumb.rpc.spring.app.PlumbApp;
import dev.plumb.rpc.web.HttpRpcClient;
import dev.plumb.rpc.web.WebSocketRpcClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A Boot application with only the starter and one service bean answers over HTTP and WebSocket. */
@SpringBootTest(classes = PlumbApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Timeout(60)
class MinimalAppTest {

    @Autowired
    WebTestClient web;

    @Autowired
    InventoryService service;

    @LocalServerPort
    int port;

    private WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void aCallIsAnswered() {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/add\",\"params\":[\"call-1\",3],\"id\":1}")
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1}");
    }

    @Test
    void aBatchIsAnswered() {
        post("[{\"jsonrpc\":\"2.0\",\"method\":\"inventory/add\",\"params\":[\"batch-1\",2],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"inventory/audit\",\"params\":[\"in a batch\"]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"inventory/item\",\"params\":[\"batch-1\"],\"id\":2}]")
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("[{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":1},"
                        + "{\"jsonrpc\":\"2.0\",\"result\":{\"skuCode\":\"batch-1\",\"inStock\":2},\"id\":2}]");
    }

    @Test
    void aNotificationGets204AndRuns() {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/audit\",\"params\":[\"note-204\"]}")
                .expectStatus().isNoContent()
                .expectBody().isEmpty();
        assertThat(service.audited).contains("note-204");
    }

    @Test
    void aFluxMethodStreamsNdjson() {
        byte[] body = web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_NDJSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/all\",\"params\":[2],\"id\":7}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_NDJSON)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
                "{\"skuCode\":\"sku-0\",\"inStock\":0}\n{\"skuCode\":\"sku-1\",\"inStock\":1}\n"
                        + "{\"jsonrpc\":\"2.0\",\"result\":{\"items\":2},\"id\":7}\n");
    }

    @Test
    void nonPostsAre405AndTheWebSocketPathWantsAnUpgrade() {
        web.get().uri("/rpc").exchange().expectStatus().isEqualTo(405).expectHeader().valueEquals("Allow", "POST");
        web.get().uri("/rpc/ws").exchange().expectStatus().isEqualTo(426)
                .expectHeader().valueEquals("Upgrade", "websocket");
    }

    @Test
    void withoutSpringSecurityEveryoneMayCall() {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"inventory/whoami\",\"id\":1}")
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"nobody\",\"id\":1}");
    }

    @Test
    void aTypedProxyCallsAndStreamsOverHttp() {
        Inventory inventory = HttpRpcClient.create("http://127.0.0.1:" + port + "/rpc").proxy(Inventory.class);
        assertThat(inventory.add("proxy-1", 5).block(Duration.ofSeconds(20))).isEqualTo(5);
        assertThat(inventory.all(3).collectList().block(Duration.ofSeconds(20)))
                .containsExactly(new Inventory.Item("sku-0", 0), new Inventory.Item("sku-1", 1),
                        new Inventory.Item("sku-2", 2));
    }

    @Test
    void callsStreamsAndNotificationsOverWebSocket() {
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + port + "/rpc/ws"))
                .connect().block(Duration.ofSeconds(20));
        try {
            Inventory inventory = peer.proxy(Inventory.class);
            assertThat(inventory.add("ws-1", 4).block(Duration.ofSeconds(20))).isEqualTo(4);
            assertThat(inventory.item("ws-1").block(Duration.ofSeconds(20))).isEqualTo(new Inventory.Item("ws-1", 4));
            List<Inventory.Item> items = inventory.all(500).collectList().block(Duration.ofSeconds(20));
            assertThat(items).hasSize(500).endsWith(new Inventory.Item("sku-499", 499));
            inventory.audit("over ws");
            assertThat(inventory.whoami().block(Duration.ofSeconds(20))).isEqualTo("nobody");
            assertThat(service.audited).contains("over ws");
        } finally {
            peer.dispose();
        }
    }
}
