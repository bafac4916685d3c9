package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class FramingTest {

    private static List<String> feed(FrameDecoder d, String... chunks) {
        List<String> out = new ArrayList<>();
        for (String c : chunks) {
            byte[] b = c.getBytes(StandardCharsets.UTF_8);
            d.feed(b, 0, b.length, f -> out.add(f == RpcConnection.OVERSIZED_FRAME ? "<oversized>"
                    : new String(f, StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void linesAreSplitAcrossChunksWithCrLfToleratedAndBlankLinesIgnored() {
        FrameDecoder d = Framing.newlineDelimited().newDecoder();
        assertThat(feed(d, "{\"a\"", ":1}\r\n\n  \n{\"b\":2}\n{\"c\"")).containsExactly("{\"a\":1}", "{\"b\":2}");
        List<String> rest = new ArrayList<>();
        d.feed(":3}".getBytes(), 0, 3, f -> rest.add(new String(f)));
        d.end(f -> rest.add(new String(f)));
        assertThat(rest).containsExactly("{\"c\":3}");
    }

    @Test
    void anOverlongLineIsDroppedWithoutBufferingItAndTheNextLineStillArrives() {
        FrameDecoder d = Framing.newlineDelimited(10).newDecoder();
        List<String> frames = feed(d, "[1,2,3,4,5,", "6,7,8,9,10,11,12]", "\n[1]\n");
        assertThat(frames).containsExactly("<oversized>", "[1]");
    }

    @Test
    void contentLengthFramesRoundTrip() throws IOException {
        Framing lsp = Framing.contentLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lsp.writeFrame("{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8), out);
        lsp.writeFrame("[]".getBytes(StandardCharsets.UTF_8), out);
        String wire = out.toString(StandardCharsets.ISO_8859_1);
        assertThat(wire).startsWith("Content-Length: 10\r\n\r\n");
        FrameDecoder d = lsp.newDecoder();
        List<String> frames = new ArrayList<>();
        byte[] bytes = out.toByteArray();
        for (byte b : bytes) { // one byte at a time: the worst split
            d.feed(new byte[] {b}, 0, 1, f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        }
        assertThat(frames).containsExactly("{\"x\":\"é\"}", "[]");
    }

    @Test
    void anOversizedContentLengthBodyIsSkippedAndTheStreamStaysInSync() {
        FrameDecoder d = Framing.contentLength(4).newDecoder();
        assertThat(feed(d, "Content-Length: 8\r\nContent-Type: x\r\n\r\n12345678Content-Length: 2\r\n\r\n[]"))
                .containsExactly("<oversized>", "[]");
    }

    @Test
    void headerNamesAreReadWithoutCaseAndWithOrWithoutSpacesAroundTheValue() {
        FrameDecoder d = Framing.contentLength().newDecoder();
        assertThat(feed(d, "content-length:2\r\n\r\n[]"
                + "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  3 \r\n\r\n[1]"
                + "Content-Length: 0\r\n\r\nContent-Length: 2\r\n\r\n{}"))
                .containsExactly("[]", "[1]", "{}");
        FrameDecoder e = Framing.contentLength().newDecoder();
        assertThatThrownBy(() -> feed(e, "Content-Length: -5\r\n\r\n{}"))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("Content-Length: -5");
        FrameDecoder f = Framing.contentLength().newDecoder();
        assertThatThrownBy(() -> feed(f, "Content-Length: 1x\r\n\r\n{}")).isInstanceOf(RpcProtocolException.class);
    }

    @Test
    void aBrokenHeaderIsAConnectionError() {
        FrameDecoder d = Framing.contentLength().newDecoder();
        assertThatThrownBy(() -> feed(d, "Content-Type: x\r\n\r\n{}"))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("Content-Length");
        FrameDecoder e = Framing.contentLength().newDecoder();
        assertThatThrownBy(() -> feed(e, "X".repeat(9000))).isInstanceOf(RpcProtocolException.class);
    }

    @Test
    void aPeerAnswersAnOversizedFrameAndKeepsServing() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = RpcPeer.builder(pair.right())
                .router(RpcRouter.builder().method("ping", () -> Mono.just("pong")).build()).connect();
        reactor.core.publisher.Sinks.Many<byte[]> in = reactor.core.publisher.Sinks.many().unicast()
                .onBackpressureBuffer();
        pair.left().send(in.asFlux()).subscribe();
        in.tryEmitNext(RpcConnection.OVERSIZED_FRAME);
        in.tryEmitNext("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1}".getBytes());
        List<String> replies = pair.left().receive().take(2).map(String::new).collectList()
                .block(java.time.Duration.ofSeconds(5));
        assertThat(replies.get(0)).contains("-32600").contains("too large").contains("\"id\":null");
        assertThat(replies.get(1)).contains("\"result\":\"pong\"");
        server.dispose();
    }
}
