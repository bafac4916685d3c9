package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** RFC 8259 §8.1: a frame that is not UTF-8 is a parse error, and its bytes are never handed on or echoed. */
@Timeout(30)
class StrictUtf8Test {

    /** The three malformed forms of issue 12: an overlong {@code /}, a surrogate, and a code point past U+10FFFF. */
    static final List<byte[]> MALFORMED = List.of(
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

    private final AtomicInteger handled = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private RpcPeer server;
    private Sinks.Many<byte[]> toServer;
    private Sinks.Many<byte[]> fromServer;

    @BeforeEach
    void connect() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcRouter router = RpcRouter.builder().handler("echo", call -> {
            handled.incrementAndGet();
            return Mono.just(call.params().raw());
        }).build();
        server = RpcPeer.builder(pair.right()).router(router).connect();
        toServer = Sinks.many().unicast().onBackpressureBuffer();
        pair.left().send(toServer.asFlux()).subscribe();
        fromServer = Sinks.many().replay().all();
        pair.left().receive().subscribe(f -> {
            received.incrementAndGet();
            fromServer.tryEmitNext(f);
        });
    }

    @AfterEach
    void close() {
        server.dispose();
    }

    /** {@code {"jsonrpc":"2.0","method":"echo","params":["a<bytes>b"],"id":1}}. */
    static byte[] echoRequest(byte[] inside) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inside);
        out.writeBytes("b\"],\"id\":1}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private String exchange(byte[] frame) {
        int before = received.get();
        toServer.tryEmitNext(frame);
        byte[] reply = fromServer.asFlux().skip(before).next().block(Duration.ofSeconds(10));
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Test
    void eachMalformedFormInAStringParamIsAParseErrorAndNoHandlerRuns() {
        for (byte[] bad : MALFORMED) {
            toServer.tryEmitNext(echoRequest(bad));
        }
        List<byte[]> replies = fromServer.asFlux().take(3).collectList().block(Duration.ofSeconds(10));
        for (byte[] reply : replies) {
            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo(
                    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}");
            for (byte b : reply) {
                assertThat(b).as("nothing but ASCII is echoed").isNotNegative();
            }
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void aMalformedFormInTheMethodNameOrInOneBatchMemberIsAParseErrorToo() {
        ByteArrayOutputStream method = new ByteArrayOutputStream();
        method.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"ec".getBytes(StandardCharsets.UTF_8));
        method.writeBytes(MALFORMED.get(0));
        method.writeBytes("ho\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(exchange(method.toByteArray())).contains("\"code\":-32700").contains("\"id\":null");
        byte[] batch = ("[" + new String(echoRequest("x".getBytes()), StandardCharsets.UTF_8) + ",")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(batch);
        out.writeBytes(echoRequest(MALFORMED.get(1)));
        out.writeBytes("]".getBytes(StandardCharsets.UTF_8));
        assertThat(exchange(out.toByteArray())).contains("\"code\":-32700").contains("\"id\":null");
        assertThat(handled).hasValue(0);
    }

    @Test
    void validMultiByteTextIsStillEchoedByteForByte() {
        String text = "é 😀 日本語 ÿ";
        String reply = exchange(echoRequest(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(reply).isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":[\"a" + text + "b\"],\"id\":1}");
        assertThat(handled).hasValue(1);
    }

    @Test
    void aResponseCarryingMalformedTextIsNotHandedToTheCaller() {
        RpcCodec codec = RpcCodec.defaults();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"result\":\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(MALFORMED.get(0));
        out.writeBytes("\",\"id\":1}".getBytes(StandardCharsets.UTF_8));
        RpcPacket packet = codec.decode(out.toByteArray());
        assertThat(packet).isInstanceOf(RpcInvalid.class);
        assertThat(((RpcInvalid) packet).error().code()).isEqualTo(RpcError.PARSE_ERROR);
    }
}
