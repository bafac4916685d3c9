package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The HTTP statuses a user sees for each kind of request (docs/http.md, "Status codes"). */
@Timeout(60)
class HttpStatusMappingTest {

    private static final SpecMethods METHODS = new SpecMethods();
    private static DisposableServer server;
    private static URI rpc;
    private static URI base;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().port(0).router(METHODS.router()).maxBodyBytes(1024).bindNow();
        base = URI.create("http://127.0.0.1:" + server.port());
        rpc = base.resolve("/rpc");
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @Test
    void aCallAnswers200WithJsonAndItsLength() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(r.body().length()));
        assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}");
    }

    @Test
    void aNotificationAnswers204() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1]}");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void aBatchOfOnlyNotificationsAnswers204() {
        HttpResponse<String> r = RawHttp.post(rpc, "[{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]");
        assertThat(r.statusCode()).isEqualTo(204);
    }

    @Test
    void aMixedBatchAnswersOnlyItsCalls() {
        HttpResponse<String> r = RawHttp.post(rpc, "[{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,3],\"id\":\"s\"}]");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("[{\"jsonrpc\":\"2.0\",\"result\":6,\"id\":\"s\"}]");
    }

    @Test
    void unparsableJsonStillAnswers200WithParseError() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\": \"2.0\", \"method\": \"foobar");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("-32700").contains("\"id\":null");
    }

    @Test
    void anEmptyBodyIsAParseError() {
        HttpResponse<String> r = RawHttp.post(rpc, "");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("-32700");
    }

    @Test
    void getAnswers405WithAllowPost() {
        HttpResponse<String> r = RawHttp.send(HttpRequest.newBuilder(rpc).GET().build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void putAnswers405() {
        HttpResponse<String> r = RawHttp.send(HttpRequest.newBuilder(rpc)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void aNonJsonContentTypeAnswers415() {
        HttpResponse<String> r = RawHttp.post(rpc, "a=b", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("application/json");
    }

    @Test
    void jsonWithCharsetIsAccepted() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":1}",
                "Content-Type", "application/json; charset=utf-8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("[\"hello\",5]");
    }

    @Test
    void aBodyAnnouncedOverTheLimitAnswers413WithoutRunningAnything() {
        int before = METHODS.handlerRuns.get();
        String big = "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"" + "x".repeat(4000) + "\"],\"id\":1}";
        HttpResponse<String> r = RawHttp.post(rpc, big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(METHODS.handlerRuns.get()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyOverTheLimitAnswers413() {
        byte[] big = ("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[\"" + "x".repeat(4000) + "\"]}")
                .getBytes();
        // an InputStream publisher has no known length, so the JDK client sends it chunked
        HttpRequest req = HttpRequest.newBuilder(rpc).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> r = RawHttp.send(req);
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void theServerKeepsServingAfterBadRequests() {
        RawHttp.post(rpc, "x".repeat(5000));
        RawHttp.post(rpc, "a=b", "Content-Type", "text/plain");
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[1,1],\"id\":2}");
        assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":0,\"id\":2}");
    }

    @Test
    void otherPathsAreNotServed() {
        HttpResponse<String> r = RawHttp.post(base.resolve("/other"), "{}");
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void theRouteMountsBesideAnApplicationsOwnRoutes() {
        DisposableServer app = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> {
                    r.get("/health", (req, res) -> res.sendString(Mono.just("ok")));
                    HttpRpcRoutes.route(METHODS.router(), HttpRpcOptions.defaults().path("/api/jsonrpc")).accept(r);
                })
                .bindNow();
        try {
            URI appBase = URI.create("http://127.0.0.1:" + app.port());
            assertThat(RawHttp.send(HttpRequest.newBuilder(appBase.resolve("/health")).build()).body())
                    .isEqualTo("ok");
            assertThat(RawHttp.post(appBase.resolve("/api/jsonrpc"),
                    "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":{\"a\":1,\"b\":2,\"c\":3},\"id\":7}").body())
                    .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":6,\"id\":7}");
        } finally {
            app.disposeNow();
        }
    }

}
