package dev.plumb.rpc.spring.boot3.plain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.spring.boot3.Tally;
import dev.plumb.rpc.spring.boot3.TallyService;
import dev.plumb.rpc.web.WebSocketRpcClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.SpringVersion;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The starter under Boot 3.5: HTTP calls, batches, 204s and ndjson streams; WebSocket calls, streams, big messages. */
@SpringBootTest(classes = Boot3App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
class Boot35AppTest {

    @LocalServerPort
    int port;

    @Autowired
    TallyService tally;

    WebTestClient web;

    @BeforeEach
    void client() {
        web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    private WebTestClient.ResponseSpec post(String body) {
        return web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void thisIsBoot35OnSpring62() {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        assertThat(SpringVersion.getVersion()).startsWith("6.2.");
    }

    @Test
    void callsBatchesAndNotificationsOverHttp() {
        post("{\"jsonrpc\":\"2.0\",\"method\":\"tally/add\",\"params\":[\"a\",2],\"id\":1}")
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":2,\"id\":1}");
        post("[{\"jsonrpc\":\"2.0\",\"method\":\"tally/add\",\"params\":[\"b\",1],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"tally/note\",\"params\":[\"batched\"]}]")
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1}]");
        post("{\"jsonrpc\":\"2.0\",\"method\":\"tally/note\",\"params\":[\"alone\"]}")
                .expectStatus().isNoContent();
        assertThat(tally.notes).contains("batched", "alone");
    }

    @Test
    void aFluxMethodStreamsNdjson() {
        byte[] body = web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_NDJSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"tally/range\",\"params\":[2],\"id\":3}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"c0\",\"value\":0}\n"
                + "{\"name\":\"c1\",\"value\":1}\n{\"jsonrpc\":\"2.0\",\"result\":{\"items\":2},\"id\":3}\n");
    }

    @Test
    void callsStreamsAndLargeMessagesOverWebSocket() {
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + port + "/rpc/ws"))
                .connect().block(Duration.ofSeconds(20));
        try {
            Tally remote = peer.proxy(Tally.class);
            assertThat(remote.add("ws", 5).block(Duration.ofSeconds(20))).isEqualTo(5);
            assertThat(remote.range(100).collectList().block(Duration.ofSeconds(20))).hasSize(100);
            assertThat(remote.length("x".repeat(200 * 1024)).block(Duration.ofSeconds(20))).isEqualTo(200 * 1024);
        } finally {
            peer.dispose();
        }
    }
}
