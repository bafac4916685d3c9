package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

@Timeout(60)
class StdioServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void answersEverythingReadBeforeEndOfInputThenReturns() {
        String input = String.join("\n",
                "{\"jsonrpc\":\"2.0\",\"method\":\"sleep\",\"params\":[200],\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"a\":[1,2]},\"id\":\"two\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]}",
                "not json",
                "") + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdioServer.create()
                .router(EchoServer.router())
                .welcomeHeader("{\"hello\":1}")
                .streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out)
                .run()
                .block(WAIT);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("{\"hello\":1}");
        assertThat(lines).hasSize(4);
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"result\":200").contains("\"id\":1"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"result\":{\"a\":[1,2]}").contains("\"id\":\"two\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("-32700"));
    }

    @Test
    void aBatchWhoseMembersAnswerLateIsAnsweredBeforeRunEndsAtEndOfInput() {
        String input = "[{\"jsonrpc\":\"2.0\",\"method\":\"sleep\",\"params\":[300],\"id\":1},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[2],\"id\":2}]\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdioServer.create()
                .router(EchoServer.router())
                .streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out)
                .run()
                .block(WAIT);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).startsWith("[")
                .contains("\"result\":300").contains("\"id\":1").contains("\"id\":2"));
    }

    @Test
    void withHandlersOnTheReadingThreadRepliesAreWrittenWholeAndInOrderOfCompletion() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String method = i % 100 == 0 ? "sleep" : "echo";
            String params = i % 100 == 0 ? "[5]" : "[" + i + ",\"" + "y".repeat(100) + "\"]";
            input.append("{\"jsonrpc\":\"2.0\",\"method\":\"").append(method).append("\",\"params\":")
                    .append(params).append(",\"id\":").append(i).append("}\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdioServer.create()
                .router(EchoServer.router())
                .handlerScheduler(reactor.core.scheduler.Schedulers.immediate())
                .streams(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)), out)
                .run()
                .block(WAIT);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2000).allSatisfy(l -> assertThat(l).startsWith("{\"jsonrpc\":\"2.0\"")
                .endsWith("}"));
        assertThat(lines.stream().filter(l -> l.contains("\"result\":5,")).count()).isEqualTo(20);
    }

    @Test
    void aJavaChildAnswersPipelinedCalls() {
        PipeConnection child = PipeTransport.command(EchoServer.command()).name("echo").connect().block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).connect();
        try {
            StepVerifier.create(Flux.range(0, 2000)
                            .flatMap(i -> peer.call("echo", List.of(i, "x".repeat(80)), JsonNode.class)
                                    .map(n -> n.get(0).asInt() == i), 256)
                            .all(ok -> ok))
                    .expectNext(true)
                    .verifyComplete();
            StepVerifier.create(peer.stream("ticks", List.of(1000), Integer.class).limitRate(16).count())
                    .expectNext(1000L)
                    .verifyComplete();
            StepVerifier.create(peer.call("fail", List.of(-32001, "nope")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcErrorException.class)
                            .hasMessageContaining("nope"))
                    .verify(WAIT);
        } finally {
            peer.dispose();
        }
        StepVerifier.create(child.onClose()).expectComplete().verify(WAIT);
        assertThat(child.exitCode()).hasValue(0);
    }

    @Test
    void aNoisyLineOnStdoutDoesNotKillTheConnection() {
        String script = String.join("\n",
                "while IFS= read -r line; do",
                "  id=$(printf '%s' \"$line\" | sed -n 's/.*\"id\":\\([0-9][0-9]*\\).*/\\1/p')",
                "  echo 'PHP Warning: something odd'",
                "  [ -n \"$id\" ] && printf '{\"jsonrpc\":\"2.0\",\"result\":\"ok\",\"id\":%s}\\n' \"$id\"",
                "done");
        PipeConnection noisy = PipeTransport.shell(script).name("noisy").connect().block(WAIT);
        RpcPeer peer = RpcPeer.builder(noisy).timeout(Duration.ofSeconds(10)).connect();
        try {
            for (int i = 0; i < 3; i++) {
                StepVerifier.create(peer.call("anything", List.of(i), String.class))
                        .expectNext("ok")
                        .verifyComplete();
            }
        } finally {
            peer.dispose();
        }
    }
}
