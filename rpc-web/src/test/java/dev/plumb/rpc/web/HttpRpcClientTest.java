package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcResponse;
import dev.plumb.rpc.RpcTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The HTTP client against a real server: calls, notifications, batches, and each kind of failure. */
@Timeout(60)
class HttpRpcClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> NOTES = new CopyOnWriteArrayList<>();
    private static DisposableServer server;
    private static DisposableServer odd;
    private static HttpRpcClient client;
    private static String oddBase;

    /** A typed result. */
    record Point(int x, int y) {
    }

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().port(0)
                .router(new SpecMethods().builder()
                        .method("note", String.class, s -> Mono.fromRunnable(() -> NOTES.add(s)))
                        .method("point", () -> Mono.just(new Point(3, 4)))
                        .method("nothing", () -> Mono.empty())
                        .method("hang", () -> Mono.never())
                        .method("refuse", () -> Mono.error(new RpcErrorException(new RpcError(-32042, "no"))))
                        .method("big", Integer.class, n -> Mono.just("x".repeat(n)))
                        .build())
                .bindNow();
        client = HttpRpcClient.create("http://127.0.0.1:" + server.port() + "/rpc");
        odd = HttpServer.create().host("127.0.0.1").port(0).route(r -> r
                        .post("/html", (req, res) -> req.receive().then(res.header("Content-Type", "text/html")
                                .sendString(Mono.just("<html>hello</html>")).then()))
                        .post("/boom", (req, res) -> req.receive().then(res.status(502)
                                .header("Content-Type", "text/plain").sendString(Mono.just("bad gateway")).then())))
                .bindNow();
        oddBase = "http://127.0.0.1:" + odd.port();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
        odd.disposeNow();
    }

    @Test
    void callGivesTheResultAsATree() {
        StepVerifier.create(client.call("subtract", List.of(42, 23)))
                .assertNext(n -> assertThat(n.asInt()).isEqualTo(19))
                .expectComplete().verify(WAIT);
    }

    @Test
    void typedCallBindsTheResult() {
        StepVerifier.create(client.call("subtract", Map.of("minuend", 5, "subtrahend", 7), Integer.class))
                .expectNext(-2).expectComplete().verify(WAIT);
        StepVerifier.create(client.call("point", null, Point.class))
                .expectNext(new Point(3, 4)).expectComplete().verify(WAIT);
    }

    @Test
    void aNullResultCompletesEmpty() {
        StepVerifier.create(client.call("nothing", null, String.class)).expectComplete().verify(WAIT);
    }

    @Test
    void callsAreCold() {
        client.call("note", List.of("never sent"));
        StepVerifier.create(client.notify("note", List.of("sent"))).expectComplete().verify(WAIT);
        assertThat(NOTES).contains("sent").doesNotContain("never sent");
    }

    @Test
    void notifyReachesTheHandler() {
        StepVerifier.create(client.notify("note", List.of("hello"))).expectComplete().verify(WAIT);
        assertThat(NOTES).contains("hello");
    }

    @Test
    void aBatchAnswersEachCallInOrder() {
        Mono<List<RpcResponse>> batch = client.batch()
                .call("sum", List.of(1, 2, 4))
                .notify("note", List.of("from batch"))
                .call("foo.get", Map.of("name", "myself"))
                .call("get_data", null)
                .send();
        StepVerifier.create(batch).assertNext(responses -> {
            assertThat(responses).hasSize(3);
            assertThat(responses.get(0).result().toString()).isEqualTo("7");
            assertThat(responses.get(1).error().code()).isEqualTo(RpcError.METHOD_NOT_FOUND);
            assertThat(responses.get(2).result().toString()).isEqualTo("[\"hello\",5]");
        }).expectComplete().verify(WAIT);
        assertThat(NOTES).contains("from batch");
    }

    @Test
    void aBatchOfNotificationsGivesNoResponses() {
        StepVerifier.create(client.batch().notify("note", List.of("a")).notify("note", List.of("b")).send())
                .expectNext(List.of()).expectComplete().verify(WAIT);
    }

    @Test
    void aRemoteErrorIsAnRpcErrorException() {
        StepVerifier.create(client.call("refuse", null))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(RpcErrorException.class);
                    assertThat(((RpcErrorException) e).code()).isEqualTo(-32042);
                })
                .verify(WAIT);
        StepVerifier.create(client.call("no_such_method", null))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code())
                        .isEqualTo(RpcError.METHOD_NOT_FOUND))
                .verify(WAIT);
    }

    @Test
    void a401WithAJsonRpcBodyIsAnRpcErrorException() {
        DisposableServer locked = HttpRpcServer.create().port(0).router(new SpecMethods().router())
                .authenticator(BearerTokenAuthenticator.of("right")).bindNow();
        try {
            HttpRpcClient c = HttpRpcClient.create("http://127.0.0.1:" + locked.port() + "/rpc").token("wrong");
            StepVerifier.create(c.call("get_data", null))
                    .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code())
                            .isEqualTo(RpcError.UNAUTHORIZED))
                    .verify(WAIT);
            StepVerifier.create(c.token("right").call("get_data", null).map(JsonNode::size))
                    .expectNext(2).expectComplete().verify(WAIT);
        } finally {
            locked.disposeNow();
        }
    }

    @Test
    void aNon2xxPlainBodyIsAnHttpRpcExceptionWithStatusAndSnippet() {
        StepVerifier.create(HttpRpcClient.create(oddBase + "/boom").call("x", null))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(HttpRpcException.class);
                    assertThat(((HttpRpcException) e).status()).isEqualTo(502);
                    assertThat(((HttpRpcException) e).bodySnippet()).isEqualTo("bad gateway");
                })
                .verify(WAIT);
        StepVerifier.create(HttpRpcClient.create(oddBase + "/nowhere").call("x", null))
                .expectErrorSatisfies(e -> assertThat(((HttpRpcException) e).status()).isEqualTo(404))
                .verify(WAIT);
    }

    @Test
    void aNonJsonReplyIsAProtocolError() {
        StepVerifier.create(HttpRpcClient.create(oddBase + "/html").call("x", null))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcProtocolException.class)
                        .hasMessageContaining("text/html").hasMessageContaining("<html>hello"))
                .verify(WAIT);
    }

    @Test
    void anOversizedReplyIsAProtocolErrorAndTheClientGoesOn() {
        HttpRpcClient small = client.maxResponseBytes(1000);
        StepVerifier.create(small.call("big", List.of(5000)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcProtocolException.class)
                        .hasMessageContaining("exceeds 1000 bytes"))
                .verify(WAIT);
        StepVerifier.create(small.call("big", List.of(10), String.class)).expectNext("x".repeat(10))
                .expectComplete().verify(WAIT);
    }

    @Test
    void aServerThatIsNotThereIsAClosedConnection() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        StepVerifier.create(HttpRpcClient.create("http://127.0.0.1:" + port + "/rpc").call("x", null))
                .expectError(dev.plumb.rpc.RpcConnectionClosedException.class)
                .verify(WAIT);
    }

    @Test
    void aResultOfTheWrongTypeIsAProtocolError() {
        StepVerifier.create(client.call("get_data", null, Point.class))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcProtocolException.class)
                        .hasMessageContaining("Point"))
                .verify(WAIT);
    }

    @Test
    void aSlowCallTimesOut() {
        StepVerifier.create(client.timeout(Duration.ofMillis(300)).call("hang", null))
                .expectError(RpcTimeoutException.class)
                .verify(WAIT);
    }

    @Test
    void manyConcurrentCallsShareThePool() {
        StepVerifier.create(Flux.range(0, 500)
                        .flatMap(i -> client.call("subtract", List.of(i, 1), Integer.class), 64)
                        .reduce(0L, Long::sum))
                .expectNext((long) (499 * 500 / 2 - 500))
                .expectComplete().verify(Duration.ofSeconds(30));
    }
}
