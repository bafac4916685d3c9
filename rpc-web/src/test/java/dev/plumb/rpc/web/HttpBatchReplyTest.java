package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcResponse;
import dev.plumb.rpc.RpcRouter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import tools.jackson.databind.JsonNode;

/**
 * Batch replies over HTTP: a small one is one body with its length, as before; a large one goes out chunked as its
 * members' responses come, so the server never holds them all, and only as fast as the client reads it.
 */
@Timeout(60)
class HttpBatchReplyTest {

    private static final String BLOB = "x".repeat(64 * 1024);
    private final AtomicInteger ran = new AtomicInteger();
    private DisposableServer server;

    private URI start() {
        RpcRouter router = RpcRouter.builder()
                .method("blob", Integer.class, n -> {
                    ran.incrementAndGet();
                    return Mono.just(n + ":" + BLOB);
                })
                .method("sum", int[].class, a -> Mono.just(IntStream.of(a).sum()))
                .build();
        server = HttpRpcServer.create().host("127.0.0.1").port(0).router(router).bindNow();
        return URI.create("http://127.0.0.1:" + server.port() + "/rpc");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    private static String batchOf(int calls) {
        return IntStream.range(0, calls)
                .mapToObj(i -> "{\"jsonrpc\":\"2.0\",\"method\":\"blob\",\"params\":[" + i + "],\"id\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void aSmallBatchReplyIsOneBodyWithItsLength() {
        HttpResponse<String> r = RawHttp.post(start(), "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[3],\"id\":2}]");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(r.body().length()));
        assertThat(r.body()).isEqualTo("[{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":1},{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":2}]");
    }

    @Test
    void aLargeBatchReplyIsSentChunkedInMemberOrder() {
        URI uri = start();
        HttpResponse<String> r = RawHttp.post(uri, batchOf(40)); // 40 x 64 KiB: over the 1 MiB sent whole
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        JsonNode array = RpcCodec.defaults().mapper().readTree(r.body());
        assertThat(array.size()).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            assertThat(array.get(i).get("id").asInt()).isEqualTo(i);
            assertThat(array.get(i).get("result").asString()).isEqualTo(i + ":" + BLOB);
        }
        // and Plumb's own client reads it as any batch reply
        HttpRpcBatch batch = HttpRpcClient.create(uri).maxResponseBytes(16 << 20).batch();
        for (int i = 0; i < 40; i++) {
            batch = batch.call("blob", List.of(i));
        }
        List<RpcResponse> responses = batch.send().block(Duration.ofSeconds(30));
        assertThat(responses).hasSize(40);
        assertThat(responses.get(39).result().toString()).isEqualTo("\"39:" + BLOB + "\"");
    }

    @Test
    void aClientThatDoesNotReadHoldsUpTheMembersNotTheServersMemory() throws Exception {
        URI uri = start();
        byte[] body = batchOf(1000).getBytes(StandardCharsets.UTF_8); // 1000 x 64 KiB = 64 MiB of replies
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            socket.setReceiveBufferSize(64 * 1024);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // the reply starts, then stops: the socket buffers fill and the members wait for the reader
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int seen = -1;
            while (System.nanoTime() < deadline && seen != ran.get()) {
                seen = ran.get();
                Thread.sleep(500);
            }
            // what fits in the socket buffers (here 64 KiB to receive, up to tcp_wmem's 4 MiB to send), the 1 MiB
            // sent whole and the members running ahead: 144 here; a kernel with larger buffers holds more
            assertThat(ran.get()).as("members answered while nobody read").isBetween(1, 500);
            // once the client reads, the rest follows
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[1 << 16];
            long read = 0;
            while (ran.get() < 1000 && System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos()) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            assertThat(ran.get()).isEqualTo(1000);
            assertThat(read).isGreaterThan(30L << 20);
        }
    }
}
