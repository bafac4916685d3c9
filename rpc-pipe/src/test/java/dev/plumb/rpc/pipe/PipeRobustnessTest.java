package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

@Timeout(90)
class PipeRobustnessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aChildFloodingStderrKeepsAnsweringCalls() {
        PipeConnection child = PipeTransport.command(EchoServer.command()).name("flood").connect().block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).timeout(Duration.ofSeconds(60)).connect();
        try {
            Mono<Long> flood = peer.call("stderr", List.of(10_000_000), Long.class);
            Mono<Long> calls = Flux.range(0, 500)
                    .concatMap(i -> peer.call("echo", List.of(i), JsonNode.class))
                    .count();
            StepVerifier.create(Mono.zip(flood, calls))
                    .assertNext(t -> {
                        assertThat(t.getT1()).isGreaterThanOrEqualTo(10_000_000L);
                        assertThat(t.getT2()).isEqualTo(500L);
                    })
                    .verifyComplete();
            assertThat(child.stderrTail()).hasSize(PipeConnection.STDERR_TAIL_LINES)
                    .allSatisfy(l -> assertThat(l).matches("x{99}"));
        } finally {
            peer.dispose();
        }
    }

    @Test
    void anOversizedReplyLineIsAnsweredAndTheConnectionGoesOn() {
        // the child prints one line over our 1 KiB limit, then a normal reply
        String script = String.join("\n",
                "IFS= read -r line",
                "head -c 5000 /dev/zero | tr '\\0' 'x'; echo",
                "printf '{\"jsonrpc\":\"2.0\",\"result\":\"fine\",\"id\":1}\\n'",
                "IFS= read -r line; printf '%s\\n' \"$line\" >&2",
                "cat >/dev/null");
        PipeConnection child = PipeTransport.shell(script).framing(Framing.newlineDelimited(1024)).connect()
                .block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).connect();
        try {
            StepVerifier.create(peer.call("x", List.of(), String.class)).expectNext("fine").verifyComplete();
            // our peer answered the oversized line with an Invalid Request error, which the child echoed to stderr
            StepVerifier.create(Mono.delay(Duration.ofMillis(20)).repeat()
                            .takeUntil(t -> !child.stderrTail().isEmpty()).then())
                    .verifyComplete();
            assertThat(child.stderrTail().get(0)).contains("-32600");
        } finally {
            peer.dispose();
        }
    }

    @Test
    void aRemoteErrorIsAValueAndTheChildKeepsServing() {
        PipeConnection child = PipeTransport.command(EchoServer.command("--immediate")).name("echo").connect()
                .block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).connect();
        try {
            StepVerifier.create(peer.call("nope", List.of()))
                    .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).error().code()).isEqualTo(-32601))
                    .verify(WAIT);
            StepVerifier.create(peer.call("echo", List.of("still here"), JsonNode.class))
                    .assertNext(n -> assertThat(n.get(0).asString()).isEqualTo("still here"))
                    .verifyComplete();
        } finally {
            peer.dispose();
        }
    }
}
