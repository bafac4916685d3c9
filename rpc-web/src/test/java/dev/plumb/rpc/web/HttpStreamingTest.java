package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

/** Flux methods answered as newline-delimited JSON, read by the client with backpressure. */
@Timeout(120)
class HttpStreamingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong PRODUCED = new AtomicLong();
    private static final AtomicBoolean CANCELLED = new AtomicBoolean();
    private static DisposableServer server;
    private static URI rpc;
    private static HttpRpcClient client;

    /** A streamed item of about 430 bytes. */
    record Row(int n, String text) {
    }

    /** An item that looks like the end-of-stream line. */
    record LooksLikeTheEnd(String jsonrpc, Object result, int id) {
    }

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().port(0)
                .router(new SpecMethods().builder()
                        .method("rows", Integer.class, n -> Flux.range(0, n)
                                .map(i -> new Row(i, "row-" + "x".repeat(400)))
                                .doOnNext(r -> PRODUCED.incrementAndGet()))
                        .method("failing", () -> Flux.range(0, 3)
                                .concatWith(Flux.error(new RpcErrorException(new RpcError(-32050, "disk full")))))
                        .method("crashing", () -> Flux.range(0, 2).concatWith(Flux.error(new IllegalStateException(
                                "secret detail"))))
                        .method("tricky", () -> Flux.just(new LooksLikeTheEnd("2.0", java.util.Map.of("items", 0), 1),
                                new LooksLikeTheEnd("2.0", java.util.Map.of("items", 1), 1)))
                        .method("endless", () -> Flux.interval(Duration.ofMillis(1))
                                .doOnCancel(() -> CANCELLED.set(true)))
                        .method("list", () -> Mono.just(List.of(1, 2, 3)))
                        .build())
                .bindNow();
        rpc = URI.create("http://127.0.0.1:" + server.port() + "/rpc");
        client = HttpRpcClient.create(rpc);
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @Test
    void theWireFormatIsOneItemPerLineThenTheCount() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"count\",\"params\":[3],\"id\":9}",
                "Accept", "application/x-ndjson");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.body()).isEqualTo("0\n1\n2\n{\"jsonrpc\":\"2.0\",\"result\":{\"items\":3},\"id\":9}\n");
    }

    @Test
    void withoutNdjsonAcceptTheStreamIsCollectedIntoAnArray() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"count\",\"params\":[3],\"id\":9}");
        assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[0,1,2],\"id\":9}");
    }

    @Test
    void anErrorEndsTheStreamWithAnErrorLine() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"failing\",\"id\":\"f\"}",
                "Accept", "application/x-ndjson");
        assertThat(r.body()).isEqualTo(
                "0\n1\n2\n{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32050,\"message\":\"disk full\"},\"id\":\"f\"}\n");
        StepVerifier.create(client.stream("failing", null, Integer.class))
                .expectNext(0, 1, 2)
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32050))
                .verify(WAIT);
    }

    @Test
    void anUnexpectedFailureBecomesInternalErrorWithoutDetails() {
        HttpResponse<String> r = RawHttp.post(rpc, "{\"jsonrpc\":\"2.0\",\"method\":\"crashing\",\"id\":1}",
                "Accept", "application/x-ndjson");
        assertThat(r.body()).endsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"Internal error\"},"
                + "\"id\":1}\n").doesNotContain("secret");
    }

    @Test
    void itemsThatLookLikeTheLastLineAreStillItems() {
        StepVerifier.create(client.stream("tricky", null, LooksLikeTheEnd.class))
                .expectNextCount(2)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aMethodThatAnswersAListStreamsItsElements() {
        StepVerifier.create(client.stream("list", null, Integer.class))
                .expectNext(1, 2, 3).expectComplete().verify(WAIT);
    }

    @Test
    void anUnknownMethodFailsTheStream() {
        StepVerifier.create(client.stream("nope", null, Integer.class))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code())
                        .isEqualTo(RpcError.METHOD_NOT_FOUND))
                .verify(WAIT);
    }

    @Test
    void cancellingTheSubscriptionStopsTheServersStream() throws InterruptedException {
        CANCELLED.set(false);
        StepVerifier.create(client.stream("endless", null, Long.class).take(20))
                .expectNextCount(20).expectComplete().verify(WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!CANCELLED.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(CANCELLED).isTrue();
    }

    @Test
    void aStreamOf100000ItemsIsReadWithBoundedMemory() throws InterruptedException {
        PRODUCED.set(0);
        int total = 100_000;
        StepVerifier.create(client.stream("rows", List.of(total), Row.class), 0)
                .thenRequest(100)
                .expectNextCount(100)
                .then(() -> {
                    long settled = awaitSettled(PRODUCED);
                    System.out.println("[stream] items produced while the client had asked for 100: " + settled);
                    // TCP flow control held the producer back: far fewer than all items left the handler
                    assertThat(settled).isLessThan(total / 2);
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(total - 100)
                .expectComplete()
                .verify(Duration.ofSeconds(90));
        assertThat(PRODUCED.get()).isEqualTo(total);
    }

    /** Waits until {@code counter} stops moving (5 equal readings 100 ms apart, at most 15 s); its value. */
    private static long awaitSettled(AtomicLong counter) {
        long last = -1;
        int same = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (same < 5 && System.nanoTime() < deadline) {
            long now = counter.get();
            same = now == last ? same + 1 : 0;
            last = now;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return last;
    }
}
