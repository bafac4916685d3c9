package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.web.testkit.ChildJvm;
import dev.plumb.rpc.web.testkit.LargeBodyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory per message over HTTP: a server in its own JVM at {@code -Xmx64m} answers a request of nearly the
 * default 16 MiB limit (echoed back), more than once; bodies over the limit, or too big for the memory left, get a
 * status, never a dropped connection. ({@code -Dplumb.memtest.xmx=…}, {@code -Dplumb.memtest.bytes=…} and
 * {@code -Dplumb.memtest.jvm=…} change the child's heap, the request size and add JVM options, for measuring.)
 */
@Timeout(180)
class LargeBodyMemoryTest {

    static final int LIMIT = HttpRpcOptions.DEFAULT_MAX_BODY_BYTES;
    static final int SIZE = Integer.getInteger("plumb.memtest.bytes", LIMIT - 100);
    static final String XMX = System.getProperty("plumb.memtest.xmx", "64m");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static ChildJvm server;
    private static URI rpc;

    @BeforeAll
    static void start() throws IOException {
        server = ChildJvm.start(jvmOptions(), LargeBodyServer.class);
        rpc = URI.create("http://127.0.0.1:" + server.awaitLine("PORT ") + "/rpc");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + XMX, "-Xss512k"));
        String extra = System.getProperty("plumb.memtest.jvm", "");
        if (!extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /** A request of exactly {@code total} bytes: {@code echo} with one ASCII string (no escapes) as params. */
    static byte[] echoRequest(int total, int id) {
        byte[] head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\"],\"id\":" + id + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[total];
        System.arraycopy(head, 0, b, 0, head.length);
        fill(b, head.length, total - tail.length, id);
        System.arraycopy(tail, 0, b, total - tail.length, tail.length);
        return b;
    }

    /** The reply {@link #echoRequest} must get, byte for byte. */
    static byte[] echoReply(byte[] request, int id) {
        byte[] head = "{\"jsonrpc\":\"2.0\",\"result\":[\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\"],\"id\":" + id + "}").getBytes(StandardCharsets.US_ASCII);
        int requestHead = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"".length();
        int text = request.length - requestHead - tail.length;
        byte[] b = new byte[head.length + text + tail.length];
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(request, requestHead, b, head.length, text);
        System.arraycopy(tail, 0, b, head.length + text, tail.length);
        return b;
    }

    private static void fill(byte[] b, int from, int to, int seed) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.";
        for (int i = from; i < to; i++) {
            b[i] = (byte) alphabet.charAt((i * 31 + seed) % alphabet.length());
        }
    }

    /** Posts {@code body}; a transport failure (no status) fails the test, showing the server's stderr. */
    static HttpResponse<byte[]> post(URI uri, HttpRequest.BodyPublisher body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(body).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("no HTTP status, the connection failed: " + e + "\nserver stderr:\n"
                    + (server == null ? "" : server.stderr()), e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8);
    }

    private void assertStillServes() throws Exception {
        HttpResponse<byte[]> ping = post(rpc, HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":9}"));
        assertThat(text(ping)).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":9}");
        assertThat(server.isAlive()).as("the server is alive; stderr:\n%s", server.stderr()).isTrue();
    }

    @Test
    void aRequestOfNearlyTheLimitIsEchoedTwiceAtXmx64m() throws Exception {
        for (int id = 1; id <= 2; id++) {
            byte[] request = echoRequest(SIZE, id);
            HttpResponse<byte[]> r = post(rpc, HttpRequest.BodyPublishers.ofByteArray(request));
            assertThat(r.statusCode()).as("try %d: %s; server stderr:\n%s", id, text(r), server.stderr())
                    .isEqualTo(200);
            byte[] expected = echoReply(request, id);
            assertThat(r.body().length).as("try %d", id).isEqualTo(expected.length);
            assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(expected.length);
            assertThat(r.headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(Arrays.equals(r.body(), expected)).as("try %d: the reply is the request's text", id).isTrue();
        }
        assertStillServes();
    }

    @Test
    void plumbsHttpClientSendsAndReadsANearly16MiBMessage() {
        byte[] text = echoRequest(SIZE, 8);
        int head = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":".length();
        int tail = ",\"id\":8}".length();
        dev.plumb.rpc.RawJson params = dev.plumb.rpc.RawJson.wrap(text, head, text.length - head - tail);
        dev.plumb.rpc.RawJson back = HttpRpcClient.create(rpc).timeout(Duration.ofSeconds(60))
                .callRaw("echo", params).block(Duration.ofSeconds(90));
        assertThat(back).isEqualTo(params);
    }

    @Test
    void aChunkedRequestOfNearlyTheLimitIsEchoedAtXmx64m() throws Exception {
        byte[] request = echoRequest(SIZE, 3);
        // an InputStream publisher has no known length, so the JDK client sends it chunked
        HttpResponse<byte[]> r = post(rpc, HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(request)));
        assertThat(r.statusCode()).as("%s; server stderr:\n%s", text(r), server.stderr()).isEqualTo(200);
        assertThat(Arrays.equals(r.body(), echoReply(request, 3))).isTrue();
        assertStillServes();
    }

    /**
     * With the limit raised to 64 MiB, the heap (64 MiB) is what gives out: a 30 MiB echo leaves no room for its
     * reply, a 60 MiB one none for its body. Each gets a status and a JSON-RPC -32603 error, not a dropped
     * connection, and the server goes on serving, large requests included.
     */
    @Test
    void whenTheHeapCannotHoldAMessageTheClientGetsAnErrorAndTheServerGoesOn() throws Exception {
        try (ChildJvm roomy = ChildJvm.start(jvmOptions(), LargeBodyServer.class, "--max-body",
                Integer.toString(64 * 1024 * 1024))) {
            URI uri = URI.create("http://127.0.0.1:" + roomy.awaitLine("PORT ") + "/rpc");
            for (int mib : new int[] {30, 60}) {
                HttpResponse<byte[]> r = post(uri, HttpRequest.BodyPublishers.ofByteArray(
                        echoRequest(mib * 1024 * 1024, mib)));
                assertThat(r.statusCode()).as("%d MiB: %s", mib, text(r)).isIn(200, 413, 500);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(text(r)).as("%d MiB", mib).startsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,")
                        .contains("out of memory");
            }
            byte[] request = echoRequest(SIZE, 7);
            HttpResponse<byte[]> r = post(uri, HttpRequest.BodyPublishers.ofByteArray(request));
            assertThat(r.statusCode()).as("%s; server stderr:\n%s", text(r), roomy.stderr()).isEqualTo(200);
            assertThat(Arrays.equals(r.body(), echoReply(request, 7))).isTrue();
            assertThat(roomy.isAlive()).isTrue();
        }
    }

    @Test
    void aBodyAnnouncedOverTheLimitGets413() throws Exception {
        byte[] request = echoRequest(LIMIT + 64 * 1024, 4);
        HttpResponse<byte[]> r = post(rpc, HttpRequest.BodyPublishers.ofByteArray(request));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(413);
        assertStillServes();
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() throws Exception {
        byte[] request = echoRequest(LIMIT + 64 * 1024, 5);
        HttpResponse<byte[]> r = post(rpc, HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(request)));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(413);
        assertStillServes();
    }
}
