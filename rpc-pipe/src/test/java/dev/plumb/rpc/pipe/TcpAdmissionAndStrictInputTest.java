package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcRouter;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/** Over a real TCP socket on 127.0.0.1: malformed UTF-8 is a parse error, and connections over the limit are refused. */
@Timeout(60)
class TcpAdmissionAndStrictInputTest {

    private final AtomicInteger handled = new AtomicInteger();

    private DisposableServer start(int maxConnections) {
        RpcRouter router = RpcRouter.builder().handler("echo", call -> {
            handled.incrementAndGet();
            return Mono.just(call.params().raw());
        }).build();
        return TcpRpcServer.create().host("127.0.0.1").port(0).router(router).maxConnections(maxConnections).bind()
                .block(Duration.ofSeconds(30));
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static byte[] echoLine(byte[] inside) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inside);
        out.writeBytes("b\"],\"id\":1}\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void malformedUtf8IsAParseErrorAndValidTextIsEchoed() throws Exception {
        DisposableServer server = start(10);
        try (Socket s = open(server.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            byte[][] malformed = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
            for (byte[] bad : malformed) {
                s.getOutputStream().write(echoLine(bad));
                assertThat(in.readLine()).isEqualTo(
                        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
            }
            assertThat(handled).hasValue(0);
            s.getOutputStream().write(echoLine("é😀日本".getBytes(StandardCharsets.UTF_8)));
            assertThat(in.readLine()).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[\"aé😀日本b\"],\"id\":1}");
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void aConnectionOverTheLimitGetsOneErrorResponseAndIsClosedWhileTheOthersGoOn() throws Exception {
        DisposableServer server = start(1);
        try (Socket first = open(server.port())) {
            BufferedReader in1 = new BufferedReader(new InputStreamReader(first.getInputStream(),
                    StandardCharsets.UTF_8));
            first.getOutputStream().write(echoLine("1".getBytes(StandardCharsets.UTF_8)));
            assertThat(in1.readLine()).contains("\"result\"");
            try (Socket second = open(server.port())) {
                BufferedReader in2 = new BufferedReader(new InputStreamReader(second.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(in2.readLine()).isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":"
                        + "\"Server busy: too many connections\"},\"id\":null}");
                assertThat(in2.readLine()).as("then closed").isNull();
            }
            first.getOutputStream().write(echoLine("2".getBytes(StandardCharsets.UTF_8)));
            assertThat(in1.readLine()).as("the connection within the limit goes on").contains("\"result\"");
        } finally {
            server.disposeNow();
        }
        assertThat(handled).hasValue(2);
    }

    @Test
    void aFreedSlotIsUsableAgain() throws Exception {
        DisposableServer server = start(1);
        try {
            open(server.port()).close();
            String line = null;
            for (int attempt = 0; attempt < 50; attempt++) { // the server sees the close a moment later
                try (Socket s = open(server.port())) {
                    s.getOutputStream().write(echoLine("3".getBytes(StandardCharsets.UTF_8)));
                    line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                }
                if (line != null && line.contains("\"result\"")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(line).contains("\"result\"");
        } finally {
            server.disposeNow();
        }
    }
}
