package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcTimeoutException;
import dev.plumb.rpc.pipe.testkit.ChildJvm;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

/** Over real pipes: a Plumb server child answers malformed UTF-8 with -32700, and a Plumb caller never takes it in. */
@Timeout(90)
class StrictUtf8OverPipeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static byte[] echo(byte[] inside, int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inside);
        out.writeBytes(("b\"],\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aPlumbServerOnAPipeAnswersEachMalformedFormWithParseErrorAndEchoesValidText() {
        PipeConnection child = PipeTransport.command(ChildJvm.command(EchoServer.class, List.of())).connect()
                .block(WAIT);
        try {
            List<byte[]> frames = List.of(
                    echo(new byte[] {(byte) 0xC0, (byte) 0xAF}, 1),
                    echo(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 2),
                    echo(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 3),
                    echo("é😀日本".getBytes(StandardCharsets.UTF_8), 4));
            child.send(Flux.fromIterable(frames)).subscribe();
            List<String> replies = child.receive().take(4).map(b -> new String(b, StandardCharsets.UTF_8))
                    .collectList().block(WAIT);
            String parseError = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},"
                    + "\"id\":null}";
            assertThat(replies).containsExactly(parseError, parseError, parseError,
                    "{\"jsonrpc\":\"2.0\",\"result\":[\"aé😀日本b\"],\"id\":4}");
        } finally {
            child.dispose();
        }
    }

    @Test
    void aCallerNeverReceivesAMalformedResultItFailsOnItsTimeoutInstead() {
        // a child that answers its first call with "fine" and every later one with an encoded surrogate
        PipeConnection child = PipeTransport.command("sh", "-c", "n=0; while read l; do n=$((n+1)); "
                + "if [ $n = 1 ]; then printf '{\"jsonrpc\":\"2.0\",\"result\":\"fine\",\"id\":1}\\n'; "
                + "else printf '{\"jsonrpc\":\"2.0\",\"result\":\"\\355\\240\\200\",\"id\":%d}\\n' $n; fi; done")
                .connect().block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).connect();
        try {
            assertThat(peer.callRaw("first", null, Duration.ofSeconds(10)).block(WAIT)).hasToString("\"fine\"");
            assertThatThrownBy(() -> peer.callRaw("second", null, Duration.ofSeconds(2)).block(WAIT))
                    .isInstanceOf(RpcTimeoutException.class);
        } finally {
            peer.dispose();
        }
    }
}
