package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcRouter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A WebSocket message over {@code maxBodyBytes} closes the connection with status 1009 (Message Too Big, RFC 6455
 * §7.4.1), whether it comes in one frame or in fragments; a message that is not well-formed UTF-8, text or binary,
 * is answered -32700. No handler runs for either.
 */
@Timeout(60)
class WebSocketMessageLimitTest {

    private static final int LIMIT = 1000;
    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static DisposableServer server;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().host("127.0.0.1").port(0)
                .router(RpcRouter.builder().handler("echo", call -> {
                    HANDLED.incrementAndGet();
                    return Mono.just(call.params().raw());
                }).build())
                .maxBodyBytes(LIMIT)
                .bindNow();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    private static String call(int padding) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "x".repeat(padding) + "\"],\"id\":1}";
    }

    /** Sends {@code frames} after the handshake; the close status the server answers with. */
    private static WebSocketCloseStatus closeStatusAfter(List<WebSocketFrame> frames) {
        return HttpClient.create()
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(10 * LIMIT).build())
                .uri("ws://127.0.0.1:" + server.port() + "/rpc/ws")
                .handle((in, out) -> out.sendObject(Flux.fromIterable(frames)).then()
                        .thenMany(in.receiveCloseStatus()))
                .next()
                .block(Duration.ofSeconds(20));
    }

    @Test
    void aMessageWithinTheLimitIsAnswered() {
        String reply = HttpClient.create()
                .websocket()
                .uri("ws://127.0.0.1:" + server.port() + "/rpc/ws")
                .handle((in, out) -> out.sendString(Mono.just(call(10))).then()
                        .thenMany(in.receive().asString().take(1)))
                .next()
                .block(Duration.ofSeconds(20));
        assertThat(reply).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[\"" + "x".repeat(10) + "\"],\"id\":1}");
    }

    @Test
    void aSingleFrameOverTheLimitIsClosedWith1009() {
        int before = HANDLED.get();
        WebSocketCloseStatus status = closeStatusAfter(List.of(new TextWebSocketFrame(call(2 * LIMIT))));
        assertThat(status.code()).isEqualTo(1009);
        assertThat(HANDLED.get()).isEqualTo(before);
    }

    @Test
    void aFragmentedMessageOverTheLimitIsClosedWith1009() {
        int before = HANDLED.get();
        byte[] whole = call(2 * LIMIT).getBytes(StandardCharsets.UTF_8);
        int third = whole.length / 3 + 1; // each fragment within the limit, the message over it
        assertThat(third).isLessThan(LIMIT);
        WebSocketCloseStatus status = closeStatusAfter(List.of(
                new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole, 0, third)),
                new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole, third, third)),
                new ContinuationWebSocketFrame(true, 0,
                        Unpooled.wrappedBuffer(whole, 2 * third, whole.length - 2 * third))));
        assertThat(status.code()).isEqualTo(1009);
        assertThat(HANDLED.get()).isEqualTo(before);
    }

    private static byte[] malformedCall() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        out.writeBytes("\"],\"id\":1}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void malformedUtf8InABinaryMessageIsAnsweredParseError() {
        int before = HANDLED.get();
        String reply = HttpClient.create()
                .websocket()
                .uri("ws://127.0.0.1:" + server.port() + "/rpc/ws")
                .handle((in, out) -> out.sendObject(Mono.just(new io.netty.handler.codec.http.websocketx
                                .BinaryWebSocketFrame(Unpooled.wrappedBuffer(malformedCall())))).then()
                        .thenMany(in.receive().asString().take(1)))
                .next()
                .block(Duration.ofSeconds(20));
        assertThat(reply).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
        assertThat(HANDLED.get()).isEqualTo(before);
    }

    @Test
    void malformedUtf8InATextMessageIsAnsweredParseError() {
        int before = HANDLED.get();
        String reply = HttpClient.create()
                .websocket()
                .uri("ws://127.0.0.1:" + server.port() + "/rpc/ws")
                .handle((in, out) -> out.sendObject(Mono.just(new TextWebSocketFrame(
                                Unpooled.wrappedBuffer(malformedCall())))).then()
                        .thenMany(in.receive().asString().take(1)))
                .next()
                .block(Duration.ofSeconds(20));
        assertThat(reply).isEqualTo(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
        assertThat(HANDLED.get()).isEqualTo(before);
    }
}
