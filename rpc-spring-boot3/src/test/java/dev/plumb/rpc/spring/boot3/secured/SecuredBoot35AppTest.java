package dev.plumb.rpc.spring.boot3.secured;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.spring.boot3.TallyService;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Spring Security 6.5: a refusal is a JSON-RPC 401 that runs no handler; the principal reaches handlers. */
@SpringBootTest(classes = SecuredBoot3App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
class SecuredBoot35AppTest {

    private static final String WHOAMI = "{\"jsonrpc\":\"2.0\",\"method\":\"tally/whoami\",\"id\":1}";

    @LocalServerPort
    int port;

    @Autowired
    TallyService tally;

    private WebTestClient web() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void withoutCredentialsTheRefusalIsAJsonRpc401() {
        int before = tally.runs.get();
        web().post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue(WHOAMI).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class)
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":\"Unauthorized\"},\"id\":null}");
        assertThat(tally.runs.get()).isEqualTo(before);
    }

    @Test
    void theAuthenticatedUserIsTheHandlersPrincipal() {
        web().post().uri("/rpc").headers(h -> h.setBasicAuth("alice", "pw"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(WHOAMI).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"alice\",\"id\":1}");
    }
}
