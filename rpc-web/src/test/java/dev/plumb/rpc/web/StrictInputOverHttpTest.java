package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcRouter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * Strict input over a real server on 127.0.0.1: text that is not UTF-8 is a parse error (RFC 8259 §8.1), and
 * credentials given twice or in two places are refused with 400 before any handler runs (RFC 6750 §3.1).
 */
@Timeout(60)
class StrictInputOverHttpTest {

    private static final String SECRET = "s3cret";
    private static final String PARSE_ERROR =
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}";
    private static final String AMBIGUOUS =
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid Request: credentials given more "
                    + "than once\"},\"id\":null}";
    private static final List<byte[]> MALFORMED = List.of(
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static DisposableServer open;
    private static DisposableServer guarded;

    @BeforeAll
    static void start() {
        RpcRouter router = RpcRouter.builder().handler("echo", call -> {
            HANDLED.incrementAndGet();
            return Mono.just(call.params().raw());
        }).build();
        open = HttpRpcServer.create().host("127.0.0.1").port(0).router(router).bindNow();
        guarded = HttpRpcServer.create().host("127.0.0.1").port(0).router(router)
                .authenticator(BearerTokenAuthenticator.of(SECRET)).bindNow();
    }

    @AfterAll
    static void stop() {
        open.disposeNow();
        guarded.disposeNow();
    }

    private static byte[] echo(byte[] inside) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inside);
        out.writeBytes("b\"],\"id\":1}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String post(DisposableServer server, String target, byte[] body, String... headers) {
        return RawSocket.exchange(server.port(), RawSocket.post(target, body.length, headers), body);
    }

    @Test
    void eachMalformedUtf8FormInAStringParamIsAnsweredParseErrorAndNotEchoed() {
        int before = HANDLED.get();
        for (byte[] bad : MALFORMED) {
            String reply = post(open, "/rpc", echo(bad));
            assertThat(reply).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n" + PARSE_ERROR);
            assertThat(reply.chars()).as("nothing but ASCII came back").allMatch(c -> c < 128);
        }
        assertThat(HANDLED.get()).isEqualTo(before);
    }

    @Test
    void validMultiByteTextIsStillEchoed() {
        String text = "é 😀 日本語";
        String reply = post(open, "/rpc", echo(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(reply).startsWith("HTTP/1.1 200 ")
                .endsWith("\r\n\r\n{\"jsonrpc\":\"2.0\",\"result\":[\"a" + text + "b\"],\"id\":1}");
    }

    @Test
    void oneBearerHeaderOrOneTokenParameterIsAccepted() {
        byte[] body = echo("x".getBytes(StandardCharsets.UTF_8));
        assertThat(post(guarded, "/rpc", body, "Authorization: Bearer " + SECRET)).startsWith("HTTP/1.1 200 ");
        assertThat(post(guarded, "/rpc?token=" + SECRET, body)).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void twoAuthorizationHeadersAreRefusedWith400AndNoHandlerRuns() {
        assertAmbiguous(post(guarded, "/rpc", echo("x".getBytes(StandardCharsets.UTF_8)),
                "Authorization: Bearer " + SECRET, "Authorization: Bearer " + SECRET));
        assertAmbiguous(post(guarded, "/rpc", echo("x".getBytes(StandardCharsets.UTF_8)),
                "Authorization: Bearer " + SECRET, "Authorization: Bearer wrong"));
    }

    @Test
    void aHeaderAndATokenParameterAreRefusedWith400AndNoHandlerRuns() {
        assertAmbiguous(post(guarded, "/rpc?token=wrong", echo("x".getBytes(StandardCharsets.UTF_8)),
                "Authorization: Bearer " + SECRET));
        assertAmbiguous(post(guarded, "/rpc?token=" + SECRET, echo("x".getBytes(StandardCharsets.UTF_8)),
                "Authorization: Bearer " + SECRET));
    }

    @Test
    void theTokenParameterTwiceIsRefusedWith400AndNoHandlerRuns() {
        assertAmbiguous(post(guarded, "/rpc?token=" + SECRET + "&token=wrong",
                echo("x".getBytes(StandardCharsets.UTF_8))));
        assertAmbiguous(post(guarded, "/rpc?token=" + SECRET + "&token=" + SECRET,
                echo("x".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aWebSocketHandshakeWithAmbiguousCredentialsIsRefusedWith400BeforeTheUpgrade() {
        String ok = RawSocket.head(guarded.port(), RawSocket.upgrade("/rpc/ws?token=" + SECRET));
        assertThat(ok).startsWith("HTTP/1.1 101 ");
        assertAmbiguous(RawSocket.exchange(guarded.port(), RawSocket.upgrade("/rpc/ws",
                "Authorization: Bearer " + SECRET, "Authorization: Bearer " + SECRET), new byte[0]));
        assertAmbiguous(RawSocket.exchange(guarded.port(), RawSocket.upgrade("/rpc/ws?token=" + SECRET,
                "Authorization: Bearer " + SECRET), new byte[0]));
        assertAmbiguous(RawSocket.exchange(guarded.port(), RawSocket.upgrade("/rpc/ws?token=" + SECRET
                + "&token=" + SECRET), new byte[0]));
    }

    @Test
    void plumbsClientsSendCredentialsOnceEvenWhenGivenATokenAndAUriWithOne() {
        String base = "http://127.0.0.1:" + guarded.port() + "/rpc";
        HttpRpcClient both = HttpRpcClient.create(base + "?a=1&token=" + SECRET + "&b=2").token(SECRET);
        assertThat(both.call("echo", java.util.List.of(1), java.util.List.class).block(java.time.Duration.ofSeconds(10)))
                .isEqualTo(java.util.List.of(1));
        HttpRpcClient inUri = HttpRpcClient.create(base + "?token=" + SECRET);
        assertThat(inUri.call("echo", java.util.List.of(2), java.util.List.class).block(java.time.Duration.ofSeconds(10)))
                .isEqualTo(java.util.List.of(2));
        dev.plumb.rpc.RpcPeer ws = WebSocketRpcClient.create(java.net.URI.create("ws://127.0.0.1:" + guarded.port()
                + "/rpc/ws?token=" + SECRET)).token(SECRET).connect().block(java.time.Duration.ofSeconds(10));
        try {
            assertThat(ws.call("echo", java.util.List.of(3), java.util.List.class).block(java.time.Duration.ofSeconds(10)))
                    .isEqualTo(java.util.List.of(3));
        } finally {
            ws.dispose();
        }
        assertThat(HttpRpcClient.withoutToken(java.net.URI.create("http://h/rpc?a=1&token=x&b=2#f")))
                .hasToString("http://h/rpc?a=1&b=2#f");
        assertThat(HttpRpcClient.withoutToken(java.net.URI.create("http://h/rpc?token=x"))).hasToString("http://h/rpc");
    }

    private static void assertAmbiguous(String reply) {
        int before = HANDLED.get();
        assertThat(reply).startsWith("HTTP/1.1 400 ").containsIgnoringCase("www-authenticate: Bearer "
                + "error=\"invalid_request\"").endsWith("\r\n\r\n" + AMBIGUOUS);
        assertThat(HANDLED.get()).as("no handler ran").isEqualTo(before);
    }
}
