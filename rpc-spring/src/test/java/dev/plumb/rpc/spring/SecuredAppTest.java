package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.spring.app.Inventory;
import dev.plumb.rpc.spring.app.InventoryService;
import dev.plumb.rpc.spring.secured.SecuredApp;
import dev.plumb.rpc.web.HttpRpcException;
import dev.plumb.rpc.web.RpcAuthenticator;
import dev.plumb.rpc.web.WebSocketRpcClient;
import java.net.URI;
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

/** With Spring Security: refusals are JSON-RPC 401s that run no handler, and handlers see Spring's principal. */
@SpringBootTest(classes = SecuredApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Timeout(60)
class SecuredAppTest {

    private static final String UNAUTHORIZED =
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Unauthorized\"},\"id\":null}";
    private static final String WHOAMI = "{\"jsonrpc\":\"2.0\",\"method\":\"inventory/whoami\",\"id\":1}";

    @Autowired
    WebTestClient web;

    @Autowired
    InventoryService service;

    @Autowired
    RpcAuthenticator authenticator;

    @LocalServerPort
    int port;

    private WebTestClient.RequestHeadersSpec<?> post(String body) {
        return web.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    @Test
    void theStarterBridgesSpringSecurity() {
        assertThat(authenticator).isInstanceOf(SpringSecurityRpcAuthenticator.class);
    }

    @Test
    void aMissingTokenIsAJsonRpc401AndRunsNoHandler() {
        int before = service.runs.get();
        post(WHOAMI).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo(UNAUTHORIZED);
        assertThat(service.runs.get()).isEqualTo(before);
    }

    @Test
    void aWrongTokenIsAJsonRpc401AndRunsNoHandler() {
        int before = service.runs.get();
        post(WHOAMI).header("Authorization", "Bearer guess").exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).isEqualTo(UNAUTHORIZED);
        assertThat(service.runs.get()).isEqualTo(before);
    }

    @Test
    void aValidTokenRunsWithSpringSecuritysPrincipal() {
        post(WHOAMI).header("Authorization", "Bearer " + SecuredApp.TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"alice\",\"id\":1}");
        post("{\"jsonrpc\":\"2.0\",\"method\":\"spring/name\",\"id\":2}")
                .header("Authorization", "Bearer " + SecuredApp.TOKEN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"alice\",\"id\":2}");
    }

    @Test
    void otherPathsFollowTheApplicationsOwnRules() {
        web.get().uri("/elsewhere").exchange().expectStatus().isNotFound();
    }

    @Test
    void aWebSocketHandshakeWithoutATokenIsRefused() {
        assertThatThrownBy(() -> WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + port + "/rpc/ws"))
                .connect().block(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(HttpRpcException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aWebSocketWithATokenCallsAndStreamsAsItsPrincipal() {
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + port + "/rpc/ws"))
                .token(SecuredApp.TOKEN)
                .connect().block(Duration.ofSeconds(20));
        try {
            Inventory inventory = peer.proxy(Inventory.class);
            assertThat(inventory.whoami().block(Duration.ofSeconds(20))).isEqualTo("alice");
            assertThat(peer.call("spring/name", null, String.class).block(Duration.ofSeconds(20))).isEqualTo("alice");
            assertThat(inventory.all(3).collectList().block(Duration.ofSeconds(20))).hasSize(3);
        } finally {
            peer.dispose();
        }
    }

    @Test
    void aTokenGivenTwiceIsRefusedWith400OverHttpAndAtTheWebSocketHandshake() throws Exception {
        int before = service.runs.get();
        post(WHOAMI).header("Authorization", "Bearer " + SecuredApp.TOKEN, "Bearer " + SecuredApp.TOKEN).exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).value(b -> assertThat(b).contains("\"code\":-32600"));
        String head = "GET /rpc/ws?token=" + SecuredApp.TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + SecuredApp.TOKEN + "\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            byte[] status = socket.getInputStream().readNBytes(12);
            assertThat(new String(status, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 400");
        }
        assertThat(service.runs.get()).isEqualTo(before);
    }

    @Test
    void thePrincipalCarriesTheAuthorities() {
        var principal = SpringSecurityRpcAuthenticator.principalOf(
                org.springframework.security.authentication.UsernamePasswordAuthenticationToken.authenticated("bob",
                        null, List.of(new org.springframework.security.core.authority.SimpleGrantedAuthority("ROLE_X"))));
        assertThat(principal.name()).isEqualTo("bob");
        assertThat(principal.attributes()).containsEntry("authorities", List.of("ROLE_X"))
                .containsKey("authentication");
    }
}
