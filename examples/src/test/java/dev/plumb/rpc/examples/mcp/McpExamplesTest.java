package dev.plumb.rpc.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.examples.mcp.McpSchema.CallToolParams;
import dev.plumb.rpc.examples.mcp.McpSchema.CallToolResult;
import dev.plumb.rpc.examples.mcp.McpSchema.Content;
import dev.plumb.rpc.examples.mcp.McpSchema.CreateMessageParams;
import dev.plumb.rpc.examples.mcp.McpSchema.CreateMessageResult;
import dev.plumb.rpc.examples.mcp.McpSchema.Implementation;
import dev.plumb.rpc.examples.mcp.McpSchema.InitializeParams;
import dev.plumb.rpc.examples.mcp.McpSchema.InitializeResult;
import dev.plumb.rpc.examples.mcp.McpSchema.ListRootsParams;
import dev.plumb.rpc.examples.mcp.McpSchema.ListRootsResult;
import dev.plumb.rpc.examples.mcp.McpSchema.LoggingMessageParams;
import dev.plumb.rpc.examples.mcp.McpSchema.Root;
import dev.plumb.rpc.pipe.Mcp;
import dev.plumb.rpc.pipe.PipeTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP examples against each other as real child processes: {@link ExampleMcpServer} is a child JVM (its wire
 * traffic copied to files with {@code --wire-log}, so the tests can see what was and was not sent); the client is
 * {@link ExampleMcpClient} in this JVM, or its {@code main} in a child JVM of its own.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class McpExamplesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static Recording recording;
    static ExampleMcpClient client;
    static Path wire;

    /** The test's client side: roots, a "model" that hangs on request, and every log message kept. */
    static final class Recording implements McpClientApi {
        final BlockingQueue<LoggingMessageParams> logs = new LinkedBlockingQueue<>();
        final CountDownLatch samplingCancelled = new CountDownLatch(1);

        @Override
        public Mono<ListRootsResult> listRoots(ListRootsParams params) {
            return Mono.just(new ListRootsResult(List.of(new Root("file:///srv/a", "a"), new Root("file:///srv/b", "b"))));
        }

        @Override
        public Mono<CreateMessageResult> createMessage(CreateMessageParams params) {
            String question = params.messages().get(0).content().text();
            if (question.contains("hang")) {
                return Mono.<CreateMessageResult>never().doOnCancel(samplingCancelled::countDown);
            }
            return Mono.just(new CreateMessageResult("assistant", Content.text("answer to " + question), "test",
                    "endTurn"));
        }

        @Override
        public void log(LoggingMessageParams params) {
            logs.add(params);
        }
    }

    static List<String> serverCommand(Path wireLog) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", ExampleMcpServer.class.getName()));
        if (wireLog != null) {
            cmd.addAll(List.of("--wire-log", wireLog.toString()));
        }
        return cmd;
    }

    @BeforeAll
    static void startServer() {
        wire = dir.resolve("shared");
        recording = new Recording();
        client = ExampleMcpClient.start(PipeTransport.command(serverCommand(wire)).name("mcp-server"), recording);
        client.ping().block(Duration.ofSeconds(60)); // started and initialised
    }

    @AfterAll
    static void stopServer() {
        if (client != null) {
            client.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------- tests

    @Test
    void theClientInitialisesAndListsAndCallsTools() {
        InitializeResult info = client.serverInfo();
        assertThat(info.protocolVersion()).isEqualTo(Mcp.PROTOCOL_VERSION);
        assertThat(info.serverInfo().name()).isEqualTo("plumb-example-mcp-server");
        assertThat(client.listTools().block(Duration.ofSeconds(30)).tools())
                .extracting(McpSchema.Tool::name).containsExactly("echo", "count", "slow", "roots", "ask");
        assertThat(client.callTool("echo", Map.of("text", "héllo")).block(Duration.ofSeconds(30)).firstText())
                .isEqualTo("héllo");
        CallToolResult unknown = client.callTool("nope", Map.of()).block(Duration.ofSeconds(30));
        assertThat(unknown.isError()).isTrue();
    }

    @Test
    void progressOfACallArrivesInOrderBeforeItsResult() {
        List<Mcp.Update<CallToolResult>> updates = client.callToolWithProgress("count", Map.of("n", 6, "delayMs", 5))
                .collectList().block(Duration.ofSeconds(60));
        assertThat(updates).hasSize(7);
        for (int i = 0; i < 6; i++) {
            assertThat(updates.get(i)).isInstanceOfSatisfying(Mcp.Progress.class, p -> { });
            Mcp.Progress<CallToolResult> p = (Mcp.Progress<CallToolResult>) updates.get(i);
            assertThat(p.progress()).isEqualTo(i + 1);
            assertThat(p.total()).isEqualTo(6.0);
            assertThat(p.message()).isEqualTo("counted " + (i + 1));
        }
        assertThat(updates.get(6)).isInstanceOfSatisfying(Mcp.Result.class,
                r -> assertThat(((CallToolResult) r.value()).firstText()).isEqualTo("counted to 6"));
        // two calls at once each get their own progress, none of the other's
        List<List<Mcp.Update<CallToolResult>>> both = Flux.merge(
                        client.callToolWithProgress("count", Map.of("n", 4, "delayMs", 3)).collectList(),
                        client.callToolWithProgress("count", Map.of("n", 9, "delayMs", 2)).collectList())
                .collectList().block(Duration.ofSeconds(60));
        assertThat(both).extracting(List::size).containsExactlyInAnyOrder(5, 10);
    }

    @Test
    void theClientCancellingACallStopsTheServersWorkAndGetsNoReply() throws Exception {
        BlockingQueue<Mcp.Update<CallToolResult>> updates = new LinkedBlockingQueue<>();
        Disposable call = client.callToolWithProgress("slow", Map.of("ticks", 600, "delayMs", 20))
                .subscribe(updates::add);
        assertThat(updates.poll(60, TimeUnit.SECONDS)).isInstanceOf(Mcp.Progress.class); // it is working
        call.dispose(); // cancel: notifications/cancelled goes to the server
        LoggingMessageParams stopped = recording.logs.poll(30, TimeUnit.SECONDS);
        assertThat(stopped).as("the server reports the cancelled work").isNotNull();
        assertThat(String.valueOf(stopped.data())).startsWith("slow: cancelled after");
        Thread.sleep(500); // anything the server still sends for the call would be on the wire by now

        JsonNode request = only(lines(wire + ".in"), m -> "tools/call".equals(text(m, "method"))
                && "slow".equals(m.path("params").path("name").asString()));
        JsonNode id = request.get("id");
        JsonNode token = request.path("params").path("_meta").get("progressToken");
        assertThat(lines(wire + ".in")).as("the client sent MCP's cancel for the call")
                .anySatisfy(m -> {
                    assertThat(text(m, "method")).isEqualTo(Mcp.CANCELLED);
                    assertThat(m.path("params").get("requestId")).isEqualTo(id);
                });
        List<JsonNode> out = lines(wire + ".out");
        assertThat(out).as("no response to the cancelled call")
                .noneMatch(m -> id.equals(m.get("id")) && (m.has("result") || m.has("error")));
        long progressSent = out.stream().filter(m -> Mcp.PROGRESS.equals(text(m, "method"))
                && token.equals(m.path("params").get("progressToken"))).count();
        Thread.sleep(300);
        assertThat(lines(wire + ".out").stream().filter(m -> Mcp.PROGRESS.equals(text(m, "method"))
                && token.equals(m.path("params").get("progressToken"))).count())
                .as("the work has stopped: no more progress").isEqualTo(progressSent);
    }

    @Test
    void theServerCancellingItsCallBackStopsTheClientsWorkAndGetsNoReply() throws Exception {
        CallToolResult r = client.callTool("ask", Map.of("question", "please hang", "timeoutMs", 400))
                .block(Duration.ofSeconds(60));
        assertThat(r.isError()).isTrue();
        assertThat(r.firstText()).isEqualTo("the client did not answer within 400 ms");
        assertThat(recording.samplingCancelled.await(30, TimeUnit.SECONDS))
                .as("the client's handler was cancelled").isTrue();
        Thread.sleep(500);

        List<JsonNode> out = lines(wire + ".out");
        JsonNode request = only(out, m -> "sampling/createMessage".equals(text(m, "method"))
                && m.path("params").path("messages").path(0).path("content").path("text").asString().contains("hang"));
        JsonNode id = request.get("id");
        assertThat(out).as("the server sent MCP's cancel for its request").anySatisfy(m -> {
            assertThat(text(m, "method")).isEqualTo(Mcp.CANCELLED);
            assertThat(m.path("params").get("requestId")).isEqualTo(id);
        });
        assertThat(lines(wire + ".in")).as("the client sent no reply to the cancelled request")
                .noneMatch(m -> id.equals(m.get("id")) && (m.has("result") || m.has("error")));
        // and the session goes on
        assertThat(client.callTool("ask", Map.of("question", "six times seven")).block(Duration.ofSeconds(30))
                .firstText()).isEqualTo("answer to six times seven");
    }

    @Test
    void theServerCallsItsClientBackDuringAToolCall() {
        assertThat(client.callTool("roots", Map.of()).block(Duration.ofSeconds(30)).firstText())
                .isEqualTo("file:///srv/a file:///srv/b");
    }

    @Test
    void pipelinedLoadOf256InFlightIsAllAnswered() {
        // the official Java SDK's default sync server dropped a response and exited under this kind of load
        int calls = 20_000;
        List<Integer> wrong = Flux.range(0, calls)
                .flatMap(i -> client.peer().flatMap(p -> p.call("tools/call",
                        new CallToolParams("echo", Map.of("text", "m" + i), null), CallToolResult.class))
                        .filter(res -> !("m" + i).equals(res.firstText())).map(res -> i), 256)
                .collectList().block(Duration.ofSeconds(150));
        assertThat(wrong).isEmpty();
        client.ping().block(Duration.ofSeconds(30));
    }

    @Test
    void aRequestBeforeInitializeIsRefused() {
        Mcp mcp = Mcp.dialect();
        RpcPeer peer = RpcPeer.builder(mcp.transport(PipeTransport.command(serverCommand(null)).name("raw-mcp"))
                        .connect().block(Duration.ofSeconds(60)))
                .dialect(mcp.peerDialect())
                .router(mcp.clientRoutes(RpcRouter.builder()).build())
                .connect();
        try {
            Mcp.ping(peer).block(Duration.ofSeconds(60)); // ping is allowed at any time
            assertThatThrownBy(() -> peer.call("tools/list", Map.of()).block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(RpcErrorException.class, e -> {
                        assertThat(e.code()).isEqualTo(Mcp.NOT_INITIALIZED);
                        assertThat(e.getMessage()).contains("Server not initialized");
                    });
            // initialize alone is not enough: notifications/initialized must follow
            peer.call("initialize", new InitializeParams("2025-06-18", Map.of(), new Implementation("raw", "1"), null),
                    InitializeResult.class).block(Duration.ofSeconds(30));
            assertThatThrownBy(() -> peer.call("tools/list", Map.of()).block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(RpcErrorException.class,
                            e -> assertThat(e.code()).isEqualTo(Mcp.NOT_INITIALIZED));
            peer.notify(Mcp.INITIALIZED, null).block(Duration.ofSeconds(30));
            assertThat(peer.call("tools/list", Map.of()).block(Duration.ofSeconds(30)).path("tools").size())
                    .isEqualTo(5);
        } finally {
            peer.dispose();
        }
    }

    @Test
    void theClientProgramRunsTheServerProgramAsItsChild() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                ExampleMcpClient.class.getName()));
        cmd.addAll(serverCommand(null));
        Path out = dir.resolve("client.out");
        Path err = dir.resolve("client.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("the client program ends").isTrue();
            assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertThat(Files.readAllLines(out)).contains(
                "server: plumb-example-mcp-server 1.0.0, MCP 2025-11-25",
                "tool echo: Returns its text",
                "echo -> hello",
                "count -> progress 1/3 (counted 1)",
                "count -> progress 2/3 (counted 2)",
                "count -> progress 3/3 (counted 3)",
                "count -> result counted to 3",
                "roots -> file:///work/project",
                "ask -> 42",
                "ping -> ok");
    }

    // -------------------------------------------------------------------------------------------------- helpers

    static List<JsonNode> lines(String file) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                messages.add(JSON.readTree(line));
            }
        }
        return messages;
    }

    static JsonNode only(List<JsonNode> messages, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = messages.stream().filter(which).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    static String text(JsonNode m, String member) {
        JsonNode v = m.get(member);
        return v == null ? null : v.asString();
    }
}
