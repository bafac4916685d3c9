package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcRouter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/** The HTTP server's admission limits, each with the answer a client sees: 503 over the connection limit, 408 for a slow body. */
@Timeout(60)
class AdmissionLimitsTest {

    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":1}";
    private final AtomicInteger handled = new AtomicInteger();

    private RpcRouter router() {
        return RpcRouter.builder().handler("echo", call -> {
            handled.incrementAndGet();
            return Mono.just(call.params().raw());
        }).build();
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** A keep-alive call on {@code s}; the response head and body as text. */
    private static String call(Socket s) throws IOException {
        byte[] body = CALL.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(("POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return head.toString();
            }
            head.append((char) c);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void aConnectionOverTheLimitIsAnswered503WithAJsonRpcErrorAndClosedAndAFreedSlotServesAgain() throws Exception {
        DisposableServer server = HttpRpcServer.create().host("127.0.0.1").port(0).router(router())
                .maxConnections(2).bindNow();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = open(server.port());
                held.add(s);
                assertThat(call(s)).startsWith("HTTP/1.1 200 ");
            }
            int before = handled.get();
            try (Socket third = open(server.port())) {
                String reply = call(third);
                assertThat(reply).startsWith("HTTP/1.1 503 ").containsIgnoringCase("retry-after: 1")
                        .containsIgnoringCase("connection: close")
                        .endsWith("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"Server busy: too many "
                                + "connections\"},\"id\":null}");
                assertThat(third.getInputStream().read()).as("closed after the reply").isEqualTo(-1);
            }
            assertThat(handled.get()).as("no handler ran for the refused connection").isEqualTo(before);
            assertThat(call(held.get(0))).as("the connections within the limit go on").startsWith("HTTP/1.1 200 ");
            held.remove(0).close();
            String again = null;
            for (int attempt = 0; attempt < 50; attempt++) { // the server sees the close a moment later
                try (Socket s = open(server.port())) {
                    again = call(s);
                }
                if (again.startsWith("HTTP/1.1 200 ")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(again).startsWith("HTTP/1.1 200 ");
        } finally {
            for (Socket s : held) {
                s.close();
            }
            server.disposeNow();
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsAnswered408AndTheConnectionClosed() throws Exception {
        DisposableServer server = HttpRpcServer.create().host("127.0.0.1").port(0).router(router())
                .requestReadTimeout(Duration.ofSeconds(1)).bindNow();
        try (Socket s = open(server.port())) {
            byte[] body = CALL.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body, 0, 10); // and the rest never comes
            s.getOutputStream().flush();
            String reply = RawSocket.readUntilClosed(s.getInputStream());
            assertThat(reply).startsWith("HTTP/1.1 408 ");
            assertThat(handled).hasValue(0);
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void aBodyThatArrivesSlowlyButWithinTheTimeoutIsServed() throws Exception {
        DisposableServer server = HttpRpcServer.create().host("127.0.0.1").port(0).router(router())
                .requestReadTimeout(Duration.ofSeconds(10)).bindNow();
        try (Socket s = open(server.port())) {
            byte[] body = CALL.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body, 0, 10);
            s.getOutputStream().flush();
            Thread.sleep(500);
            s.getOutputStream().write(body, 10, body.length - 10);
            s.getOutputStream().flush();
            assertThat(RawSocket.readUntilClosed(s.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("[1],\"id\":1}");
        } finally {
            server.disposeNow();
        }
    }
}
