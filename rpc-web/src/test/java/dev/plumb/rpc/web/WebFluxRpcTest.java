package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The WebFlux adapter, driven through WebTestClient against a real WebFlux router function setup. */
@Timeout(60)
class WebFluxRpcTest {

    private final SpecMethods methods = new SpecMethods();

    private WebTestClient client(org.springframework.web.reactive.function.server.RouterFunction<ServerResponse> fn) {
        return WebTestClient.bindToRouterFunction(fn).configureClient().responseTimeout(Duration.ofSeconds(20)).build();
    }

    private WebTestClient open() {
        return client(WebFluxRpc.routerFunction("/rpc", methods.router())
                .and(RouterFunctions.route().GET("/hello", r -> ServerResponse.ok().bodyValue("hi")).build()));
    }

    @Test
    void aCallIsAnswered() {
        open().post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"minuend\":42,\"subtrahend\":23},\"id\":3}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":3}");
    }

    @Test
    void theApplicationsOtherRoutesStillWork() {
        open().get().uri("/hello").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("hi");
    }

    @Test
    void aBatchIsAnswered() {
        open().post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},"
                        + "{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},"
                        + "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"9\"}]")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("[{\"jsonrpc\":\"2.0\",\"result\":7,\"id\":\"1\"},"
                        + "{\"jsonrpc\":\"2.0\",\"result\":[\"hello\",5],\"id\":\"9\"}]");
    }

    @Test
    void aBatchReplyTooLargeToSendWholeIsStreamedInMemberOrder() {
        String blob = "y".repeat(64 * 1024);
        WebTestClient client = client(WebFluxRpc.routerFunction("/rpc", dev.plumb.rpc.RpcRouter.builder()
                .method("blob", Integer.class, n -> reactor.core.publisher.Mono.just(n + ":" + blob)).build()));
        String batch = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "{\"jsonrpc\":\"2.0\",\"method\":\"blob\",\"params\":[" + i + "],\"id\":" + i + "}")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        String body = client.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(8 << 20)).build()
                .post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue(batch)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        tools.jackson.databind.JsonNode array = dev.plumb.rpc.RpcCodec.defaults().mapper().readTree(body);
        assertThat(array.size()).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            assertThat(array.get(i).get("result").asString()).isEqualTo(i + ":" + blob);
        }
    }

    @Test
    void notificationsGet204() {
        open().post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1,2]}")
                .exchange()
                .expectStatus().isNoContent()
                .expectBody().isEmpty();
    }

    @Test
    void aParseErrorIs200WithTheJsonRpcError() {
        open().post().uri("/rpc").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"jsonrpc\":")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody()).contains("\"code\":-32700"));
    }

    @Test
    void getIs405AndFormsAre415() {
        open().get().uri("/rpc").exchange().expectStatus().isEqualTo(405).expectHeader().valueEquals("Allow", "POST");
        open().post().uri("/rpc").contentType(MediaType.TEXT_PLAIN).bodyValue("hello")
                .exchange().expectStatus().isEqualTo(415);
    }

    @Test
    void optionsAskingForAWebSocketEndpointAreRefusedNotIgnored() {
        assertThatThrownBy(() -> WebFluxRpc.routerFunction(methods.router(), HttpRpcOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webSocketPath")
                .hasMessageContaining("RpcWebSocketHandler");
        assertThatThrownBy(() -> WebFluxRpc.handlerFunction(methods.router(),
                HttpRpcOptions.defaults().webSocketPath("/ws")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webSocketPath is /ws");
    }

    @Test
    void aBodyOverTheLimitIs413() {
        WebTestClient small = client(WebFluxRpc.routerFunction(methods.router(),
                HttpRpcOptions.defaults().webSocketPath(null).maxBodyBytes(100)));
        small.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"" + "y".repeat(500) + "\"]}")
                .exchange().expectStatus().isEqualTo(413);
    }

    @Test
    void authenticationRefusesWithoutRunningHandlersAndPassesThePrincipal() {
        WebTestClient locked = client(WebFluxRpc.routerFunction("/rpc", methods.router(),
                BearerTokenAuthenticator.of("tok", RpcPrincipal.of("bob"))));
        int before = methods.handlerRuns.get();
        locked.post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody()).contains("\"code\":-32001"));
        assertThat(methods.handlerRuns.get()).isEqualTo(before);
        locked.post().uri("/rpc?token=tok").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody()).contains("\"result\":\"bob\""));
        locked.post().uri("/rpc").header("Authorization", "Bearer tok").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}")
                .exchange()
                .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody()).contains("\"result\":\"bob\""));
    }

    @Test
    void credentialsGivenTwiceOrInTwoPlacesAreRefusedWith400WithoutRunningHandlers() {
        WebTestClient locked = client(WebFluxRpc.routerFunction("/rpc", methods.router(),
                BearerTokenAuthenticator.of("tok", RpcPrincipal.of("bob"))));
        int before = methods.handlerRuns.get();
        for (String uri : java.util.List.of("/rpc?token=tok", "/rpc?token=tok&token=tok")) {
            var spec = locked.post().uri(uri).contentType(MediaType.APPLICATION_JSON);
            if (uri.equals("/rpc?token=tok")) {
                spec = spec.header("Authorization", "Bearer tok");
            }
            spec.bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}")
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().valueEquals("WWW-Authenticate", "Bearer error=\"invalid_request\"")
                    .expectBody(String.class).consumeWith(r -> assertThat(r.getResponseBody())
                            .contains("\"code\":-32600"));
        }
        locked.post().uri("/rpc").header("Authorization", "Bearer tok", "Bearer tok")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"whoami\",\"id\":1}")
                .exchange()
                .expectStatus().isBadRequest();
        assertThat(methods.handlerRuns.get()).isEqualTo(before);
    }

    @Test
    void aFluxMethodStreamsNdjson() {
        byte[] body = open().post().uri("/rpc").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_NDJSON)
                .bodyValue("{\"jsonrpc\":\"2.0\",\"method\":\"count\",\"params\":[4],\"id\":5}")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_NDJSON)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("0\n1\n2\n3\n{\"jsonrpc\":\"2.0\",\"result\":{\"items\":4},\"id\":5}\n");
    }
}
