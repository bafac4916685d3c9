package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.netty.DisposableServer;

/**
 * Hostile requests to a real loopback server, each answered with a specific status or JSON-RPC error and none
 * disturbing the next client (RELIABILITY.md lists them): a 1,000,000-deep nesting and a 1,000,000-digit number
 * in the params, a 64 KiB header and request line, and the two request-smuggling shapes (a Content-Length with
 * chunked, two different Content-Lengths).
 */
@Timeout(60)
class HttpAbuseTest {

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}";
    private static DisposableServer server;
    private static URI rpc;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().host("127.0.0.1").port(0).router(new SpecMethods().router()).bindNow();
        rpc = URI.create("http://127.0.0.1:" + server.port() + "/rpc");
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @AfterEach
    void theNextClientIsServed() {
        HttpResponse<String> r = RawHttp.post(rpc, CALL);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}");
    }

    @Test
    void aMillionDeepNestingIsAParseError() {
        int n = 1_000_000;
        String body = "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":" + "[".repeat(n) + "]".repeat(n)
                + ",\"id\":2}";
        HttpResponse<String> r = RawHttp.post(rpc, body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,");
    }

    @Test
    void aMillionDigitNumberIsAParseError() {
        String body = "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[" + "9".repeat(1_000_000)
                + ",1],\"id\":3}";
        HttpResponse<String> r = RawHttp.post(rpc, body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,");
    }

    @Test
    void aHugeHeaderIs431() throws IOException {
        assertThat(statusOf(request("POST /rpc HTTP/1.1", "X-Big: " + "a".repeat(64 * 1024), CALL)))
                .isEqualTo(431);
    }

    @Test
    void aHugeRequestLineIs414() throws IOException {
        assertThat(statusOf(request("POST /rpc?" + "a".repeat(64 * 1024) + " HTTP/1.1", null, CALL)))
                .isEqualTo(414);
    }

    @Test
    void aContentLengthWithChunkedIsRefused() throws IOException {
        String raw = "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(CALL.length()) + "\r\n" + CALL
                + "\r\n0\r\n\r\n";
        assertThat(statusOf(raw)).isEqualTo(400);
    }

    @Test
    void twoDifferentContentLengthsAreRefused() throws IOException {
        String raw = "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + CALL.length() + "\r\nContent-Length: 3\r\n\r\n" + CALL;
        assertThat(statusOf(raw)).isEqualTo(400);
    }

    private static String request(String requestLine, String extraHeader, String body) {
        return requestLine + "\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (extraHeader == null ? "" : extraHeader + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Sends {@code raw} on a new connection and reads the status code of the response. */
    private static int statusOf(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it has read everything; the status is still there
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.write(c);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            assertThat(status).as("status line").startsWith("HTTP/1.1 ");
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
