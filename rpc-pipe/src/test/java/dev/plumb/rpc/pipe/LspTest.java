package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcTimeoutException;
import dev.plumb.rpc.pipe.testkit.ChildJvm;
import dev.plumb.rpc.pipe.testkit.LspTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link Lsp} dialect over a real child JVM ({@link LspTestServer}), mostly byte for byte: the test writes
 * Content-Length frames with the headers it wants and parses the child's output itself, so what is checked is
 * the wire, not what a Plumb peer makes of it.
 */
@Timeout(60)
class LspTest {

    private static final long WAIT_SECONDS = 20;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void framesCarryOnlyContentLengthAndAcceptContentTypeAndUtf8Bodies() throws Exception {
        RawLspClient lsp = start();
        String text = "héllo ✓ \uD83D\uDE00"; // two-, three- and four-byte UTF-8
        lsp.write("Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
                request(1, "echo", Map.of("text", text)));
        lsp.write("Content-Type: application/vscode-jsonrpc; charset=utf8\r\ncontent-length: %d\r\n\r\n",
                request(2, "echo", Map.of("text", text)));
        lsp.write("Content-Length:%d\r\n\r\n", request(3, "echo", List.of(1)));
        for (int id = 1; id <= 2; id++) {
            Frame f = lsp.next();
            assertThat(f.headers()).containsExactly("Content-Length: " + f.body().length);
            assertThat(f.json().get("id").asInt()).isEqualTo(id);
            assertThat(f.json().get("result").get("text").asString()).isEqualTo(text);
        }
        assertThat(lsp.next().json().get("result").toString()).isEqualTo("[1]");
    }

    @Test
    void unknownDollarNotificationsAreIgnoredSilentlyAndUnknownRequestsAnswered32601() throws Exception {
        RawLspClient lsp = start();
        lsp.send(notification("$/unknownNotification", Map.of("x", 1)));
        lsp.send(notification("$/setTrace", Map.of("value", "verbose")));
        lsp.send(notification("workspace/didChangeSomethingUnknown", Map.of()));
        lsp.send(request(1, "$/unknownRequest", Map.of()));
        lsp.send(request(2, "textDocument/unknown", Map.of()));
        JsonNode first = lsp.next().json(); // the notifications were handled first, in order: nothing came of them
        assertThat(first.get("id").asInt()).isEqualTo(1);
        assertThat(first.get("error").get("code").asInt()).isEqualTo(-32601);
        JsonNode second = lsp.next().json();
        assertThat(second.get("id").asInt()).isEqualTo(2);
        assertThat(second.get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(lsp.closeAndWaitForExit()).isZero();
        assertThat(lsp.remaining()).isEmpty();
        assertThat(lsp.child.stderr()).doesNotContain("WARN").doesNotContain("ERROR");
    }

    @Test
    void aRequestCancelledByTheClientIsAnswered32800AndItsHandlerStopped() throws Exception {
        RawLspClient lsp = start();
        lsp.send(request("slow-1", "slow", Map.of("millis", 60_000)));
        lsp.send(notification("$/cancelRequest", Map.of("id", "slow-1")));
        lsp.send(notification("$/cancelRequest", Map.of("id", 99))); // unknown id: ignored
        JsonNode reply = lsp.next().json();
        assertThat(reply.get("id").asString()).isEqualTo("slow-1");
        assertThat(reply.get("error").get("code").asInt()).isEqualTo(Lsp.REQUEST_CANCELLED);
        lsp.send(request(2, "cancelled", null));
        assertThat(lsp.next().json().get("result").asInt()).isEqualTo(1);
    }

    @Test
    void aFluxResultGoesOutAsProgressNotificationsWhenTheClientPassesAPartialResultToken() throws Exception {
        RawLspClient lsp = start();
        lsp.send(request(1, "symbols", Map.of("n", 3, "partialResultToken", "tok-1")));
        lsp.send(request(2, "symbols", Map.of("n", 2)));
        for (int i = 0; i < 3; i++) {
            JsonNode progress = lsp.next().json();
            assertThat(progress.get("method").asString()).isEqualTo("$/progress");
            assertThat(progress.has("id")).isFalse();
            assertThat(progress.get("params").toString())
                    .isEqualTo("{\"token\":\"tok-1\",\"value\":[\"symbol-" + i + "\"]}");
        }
        JsonNode end = lsp.next().json();
        assertThat(end.get("id").asInt()).isEqualTo(1);
        assertThat(end.get("result").toString()).isEqualTo("[]");
        JsonNode whole = lsp.next().json();
        assertThat(whole.get("id").asInt()).isEqualTo(2);
        assertThat(whole.get("result").toString()).isEqualTo("[\"symbol-0\",\"symbol-1\"]");
    }

    @Test
    void notificationsAndRequestsAreHandledInArrivalOrderEvenAfterAHandlerSchedulerWasSet() throws Exception {
        RawLspClient lsp = start();
        int n = 500;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            byte[] body = notification("append", Map.of("value", i));
            burst.append("Content-Length: ").append(body.length).append("\r\n\r\n")
                    .append(new String(body, StandardCharsets.UTF_8));
        }
        lsp.writeRaw(burst.toString().getBytes(StandardCharsets.UTF_8)); // one write: the child reads them together
        lsp.send(request(1, "appended", null));
        JsonNode values = lsp.next().json().get("result");
        List<Integer> seen = new ArrayList<>();
        values.forEach(v -> seen.add(v.asInt()));
        assertThat(seen).containsExactlyElementsOf(IntStream.range(0, n).boxed().toList());
    }

    @Test
    void aPlumbClientWithTheDialectSendsCancelRequestWhenItsCallTimesOut() throws Exception {
        PipeConnection child = Lsp.dialect()
                .transport(PipeTransport.command(ChildJvm.command(LspTestServer.class, List.of())).name("lsp"))
                .connect().block(Duration.ofSeconds(WAIT_SECONDS));
        RpcPeer peer = Lsp.dialect().peer(RpcPeer.builder(child)).connect();
        open.add(peer::dispose);
        assertThat(peer.call("echo", Map.of("a", "ü"), JsonNode.class).block(Duration.ofSeconds(WAIT_SECONDS))
                .get("a").asString()).isEqualTo("ü");
        assertThatThrownBy(() -> peer.callRaw("slow", Map.of("millis", 60_000), Duration.ofMillis(200))
                .block(Duration.ofSeconds(WAIT_SECONDS))).isInstanceOf(RpcTimeoutException.class);
        // the cancel went out before the next call, and the child handles messages in order
        assertThat(peer.call("cancelled", null, Integer.class).block(Duration.ofSeconds(WAIT_SECONDS))).isEqualTo(1);
        assertThat(child.stop(Duration.ofSeconds(10), Duration.ofSeconds(2)).block(Duration.ofSeconds(WAIT_SECONDS)))
                .isZero();
    }

    @Test
    void theDialectIsStrictJsonRpcPlusLspCancellationAndPartialResults() {
        RpcDialect d = Lsp.dialect().peerDialect();
        assertThat(d.cancelMethod()).isEqualTo("$/cancelRequest");
        assertThat(d.cancelIdMember()).isEqualTo("id");
        assertThat(d.answersCancelledRequests()).isTrue();
        assertThat(d.partialResultTokenMember()).isEqualTo("partialResultToken");
        assertThat(d.progressMethod()).isEqualTo("$/progress");
        assertThat(d.repliesToInvalidFrames()).isTrue();
        assertThat(d.routesIdlessErrorsToSoleCall()).isFalse();
        assertThat(Lsp.dialect().framing().header(12)).isEqualTo("Content-Length: 12\r\n\r\n".getBytes());
        assertThat(Lsp.dialect().framing().trailer()).isEmpty();
        assertThat(Lsp.dialect().maxFrameBytes(1024).framing().maxFrameBytes()).isEqualTo(1024);
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private RawLspClient start() {
        ChildJvm child = ChildJvm.start(LspTestServer.class, List.of(), dir.resolve("lsp-" + open.size() + ".err"));
        RawLspClient client = new RawLspClient(child);
        open.add(client);
        return client;
    }

    private static byte[] request(Object id, String method, Object params) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("jsonrpc", "2.0");
        m.put("id", id);
        m.put("method", method);
        if (params != null) {
            m.put("params", params);
        }
        return JSON.writeValueAsBytes(m);
    }

    private static byte[] notification(String method, Object params) {
        return JSON.writeValueAsBytes(Map.of("jsonrpc", "2.0", "method", method, "params", params));
    }

    /** One message as the child wrote it: its header lines and its body. */
    record Frame(List<String> headers, byte[] body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** Writes frames to the child's stdin as given; parses its stdout into frames on a thread of its own. */
    static final class RawLspClient implements AutoCloseable {
        final ChildJvm child;
        private final OutputStream in;
        private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        private final CountDownLatch stdoutEnded = new CountDownLatch(1);

        RawLspClient(ChildJvm child) {
            this.child = child;
            this.in = child.process().getOutputStream();
            Thread reader = new Thread(() -> read(child.process().getInputStream()), "lsp-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read(InputStream out) {
            try {
                while (true) {
                    List<String> headers = new ArrayList<>();
                    String line;
                    while (!(line = readLine(out)).isEmpty()) {
                        headers.add(line);
                    }
                    int length = headers.stream().filter(h -> h.startsWith("Content-Length: "))
                            .mapToInt(h -> Integer.parseInt(h.substring("Content-Length: ".length())))
                            .findFirst().orElseThrow(() -> new IOException("no Content-Length in " + headers));
                    frames.add(new Frame(headers, out.readNBytes(length)));
                }
            } catch (IOException | RuntimeException e) {
                frames.add(e);
            } finally {
                stdoutEnded.countDown();
            }
        }

        private static String readLine(InputStream out) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = out.read()) != '\n') {
                if (b < 0) {
                    throw new EndOfInput();
                }
                line.write(b);
            }
            byte[] bytes = line.toByteArray();
            if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                throw new IOException("header line not ended by CRLF: " + line);
            }
            return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
        }

        void send(byte[] body) throws IOException {
            write("Content-Length: %d\r\n\r\n", body);
        }

        void write(String headerFormat, byte[] body) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(String.format(headerFormat, body.length).getBytes(StandardCharsets.US_ASCII));
            b.write(body);
            writeRaw(b.toByteArray());
        }

        void writeRaw(byte[] bytes) throws IOException {
            in.write(bytes);
            in.flush();
        }

        Frame next() throws Exception {
            Object o = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("no frame within " + WAIT_SECONDS + " s; stderr:\n" + child.stderrTail(20));
            }
            if (o instanceof Throwable t) {
                throw new AssertionError("stdout ended or broke; stderr:\n" + child.stderrTail(20), t);
            }
            return (Frame) o;
        }

        /** Frames that came after those taken (once stdout has ended). */
        List<Frame> remaining() {
            List<Frame> rest = new ArrayList<>();
            for (Object o : frames) {
                if (o instanceof Frame f) {
                    rest.add(f);
                }
            }
            return rest;
        }

        int closeAndWaitForExit() throws Exception {
            in.close();
            if (!child.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the child did not exit after stdin closed");
            }
            if (!stdoutEnded.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("stdout did not end after the child exited");
            }
            return child.process().exitValue();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // the child is gone already
            } finally {
                child.close();
            }
        }
    }

    /** The child's stdout ended between frames. */
    static final class EndOfInput extends IOException {
        EndOfInput() {
            super("end of stdout");
        }
    }
}
