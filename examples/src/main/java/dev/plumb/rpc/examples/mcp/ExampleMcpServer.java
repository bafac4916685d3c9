package dev.plumb.rpc.examples.mcp;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.examples.mcp.McpSchema.CallToolParams;
import dev.plumb.rpc.examples.mcp.McpSchema.CallToolResult;
import dev.plumb.rpc.examples.mcp.McpSchema.Content;
import dev.plumb.rpc.examples.mcp.McpSchema.CreateMessageParams;
import dev.plumb.rpc.examples.mcp.McpSchema.Implementation;
import dev.plumb.rpc.examples.mcp.McpSchema.InitializeParams;
import dev.plumb.rpc.examples.mcp.McpSchema.InitializeResult;
import dev.plumb.rpc.examples.mcp.McpSchema.ListRootsParams;
import dev.plumb.rpc.examples.mcp.McpSchema.ListToolsParams;
import dev.plumb.rpc.examples.mcp.McpSchema.ListToolsResult;
import dev.plumb.rpc.examples.mcp.McpSchema.LoggingMessageParams;
import dev.plumb.rpc.examples.mcp.McpSchema.Root;
import dev.plumb.rpc.examples.mcp.McpSchema.SamplingMessage;
import dev.plumb.rpc.examples.mcp.McpSchema.Tool;
import dev.plumb.rpc.pipe.Mcp;
import dev.plumb.rpc.pipe.StdioServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An MCP server on Plumb, over stdio: its methods are the typed {@link McpServerApi}, served behind the
 * {@code Mcp} dialect's routes. Tools:
 * <ul>
 *   <li>{@code echo {text}}: returns the text;</li>
 *   <li>{@code count {n, delayMs}}: counts to {@code n}, reporting progress at each step when the call asked for
 *       it ({@code _meta.progressToken});</li>
 *   <li>{@code slow {ticks, delayMs}}: works a tick at a time (progress each tick) for a long while; when the client
 *       cancels it, it stops and says so in a log message to the client ({@code notifications/message});</li>
 *   <li>{@code roots}: asks the client for its roots ({@code roots/list}) during the call, and lists them;</li>
 *   <li>{@code ask {question, timeoutMs}}: asks the client's model ({@code sampling/createMessage}) during the call;
 *       if the client has not answered within {@code timeoutMs}, the server cancels that request
 *       ({@code notifications/cancelled}) and reports a tool error.</li>
 * </ul>
 *
 * <p>Run: {@code java -cp … dev.plumb.rpc.examples.mcp.ExampleMcpServer [--wire-log PREFIX]}; with
 * {@code --wire-log}, every byte read from stdin is copied to {@code PREFIX.in} and every byte written to stdout to
 * {@code PREFIX.out} (what the tests read to see what went over the wire). Logs go to stderr.
 */
public final class ExampleMcpServer implements McpServerApi {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleMcpServer.class);

    static final List<Tool> TOOLS = List.of(
            new Tool("echo", "Returns its text", schema(Map.of("text", Map.of("type", "string")), List.of("text"))),
            new Tool("count", "Counts to n, reporting progress at each step", schema(Map.of(
                    "n", Map.of("type", "integer"), "delayMs", Map.of("type", "integer")), List.of("n"))),
            new Tool("slow", "Works a tick at a time, for ticks × delayMs ms (default 600 × 50 ms); cancellable",
                    schema(Map.of("ticks", Map.of("type", "integer"), "delayMs", Map.of("type", "integer")),
                            List.of())),
            new Tool("roots", "Lists the client's roots (asks the client during the call)", schema(Map.of(),
                    List.of())),
            new Tool("ask", "Asks the client's model a question (sampling), giving up after timeoutMs",
                    schema(Map.of("question", Map.of("type", "string"), "timeoutMs", Map.of("type", "integer")),
                            List.of("question"))));

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required);
    }

    @Override
    public Mono<InitializeResult> initialize(InitializeParams params) {
        String version = Mcp.negotiateVersion(params.protocolVersion());
        LOG.info("initialize from {} asking for {}: answering {}", params.clientInfo(), params.protocolVersion(),
                version);
        return Mono.just(new InitializeResult(version, Map.of("tools", Map.of(), "logging", Map.of()),
                new Implementation("plumb-example-mcp-server", "1.0.0"),
                "Example tools: echo, count (progress), slow (cancellable), roots and ask (call the client back)."));
    }

    @Override
    public Mono<ListToolsResult> listTools(ListToolsParams params) {
        return Mono.just(new ListToolsResult(TOOLS, null));
    }

    @Override
    public Mono<CallToolResult> callTool(CallToolParams params) {
        Map<String, Object> args = params.arguments() == null ? Map.of() : params.arguments();
        Object token = Mcp.progressToken(params.meta());
        return switch (String.valueOf(params.name())) {
            case "echo" -> Mono.just(CallToolResult.text(String.valueOf(args.get("text"))));
            case "count" -> count(intArg(args, "n", 3), intArg(args, "delayMs", 10), token);
            case "slow" -> slow(intArg(args, "ticks", 600), intArg(args, "delayMs", 50), token);
            case "roots" -> roots();
            case "ask" -> ask(String.valueOf(args.get("question")), intArg(args, "timeoutMs", 30_000));
            default -> Mono.just(CallToolResult.error("unknown tool: " + params.name()));
        };
    }

    private static Mono<CallToolResult> count(int n, int delayMs, Object token) {
        return Flux.range(1, n)
                .concatMap(i -> Mono.delay(Duration.ofMillis(delayMs))
                        .then(Mcp.progress(token, i, (double) n, "counted " + i)))
                .then(Mono.just(CallToolResult.text("counted to " + n)));
    }

    /** Long work, a tick at a time; cancelled, it stops and tells the client in a log message. */
    private static Mono<CallToolResult> slow(int ticks, int delayMs, Object token) {
        AtomicLong done = new AtomicLong();
        return RpcPeer.current().flatMap(peer -> Flux.range(1, ticks)
                .concatMap(i -> Mono.delay(Duration.ofMillis(delayMs))
                        .then(Mcp.progress(token, i, (double) ticks, "tick " + i))
                        .doOnSuccess(v -> done.set(i)))
                .then(Mono.fromSupplier(() -> CallToolResult.text("slow: finished " + ticks + " ticks")))
                .doOnCancel(() -> {
                    LOG.info("slow: cancelled after {} ticks", done.get());
                    peer.proxy(McpClientApi.class).log(new LoggingMessageParams("info", "slow",
                            "slow: cancelled after " + done.get() + " ticks"));
                }));
    }

    /** Calls the client back during the call: its roots. */
    private static Mono<CallToolResult> roots() {
        return RpcPeer.current()
                .flatMap(peer -> peer.proxy(McpClientApi.class).listRoots(new ListRootsParams(null)))
                .map(r -> CallToolResult.text(r.roots() == null ? "" : r.roots().stream()
                        .map(Root::uri).collect(Collectors.joining(" "))));
    }

    /** Asks the client's model; gives up (cancelling the request) after {@code timeoutMs}. */
    private static Mono<CallToolResult> ask(String question, int timeoutMs) {
        CreateMessageParams params = new CreateMessageParams(
                List.of(new SamplingMessage("user", Content.text(question))), 100, null, null);
        return RpcPeer.current()
                .flatMap(peer -> peer.proxy(McpClientApi.class).createMessage(params))
                .timeout(Duration.ofMillis(timeoutMs)) // cancels the request: notifications/cancelled goes out
                .map(r -> CallToolResult.text(r.content() == null ? "" : r.content().text()))
                .onErrorResume(TimeoutException.class, e -> Mono.just(CallToolResult.error(
                        "the client did not answer within " + timeoutMs + " ms")));
    }

    private static int intArg(Map<String, Object> args, String name, int otherwise) {
        return args.get(name) instanceof Number n ? n.intValue() : otherwise;
    }

    /** Serves on stdin/stdout until stdin ends; {@code --wire-log PREFIX} copies both directions to files. */
    public static void main(String[] args) throws IOException {
        Mcp mcp = Mcp.dialect();
        RpcRouter router = mcp.serverRoutes(RpcRouter.builder().service(new ExampleMcpServer())).build();
        StdioServer server = mcp.server(StdioServer.create().router(router));
        List<String> options = List.of(args);
        int log = options.indexOf("--wire-log");
        if (log >= 0) {
            Path prefix = Path.of(options.get(log + 1));
            server = server.streams(tee(new FileInputStream(FileDescriptor.in), prefix + ".in"),
                    tee(new FileOutputStream(FileDescriptor.out), prefix + ".out"));
        }
        server.serve();
    }

    private static InputStream tee(InputStream in, String file) throws IOException {
        OutputStream copy = new FileOutputStream(file);
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    copy.write(b, off, n);
                }
                return n;
            }
        };
    }

    private static OutputStream tee(OutputStream out, String file) throws IOException {
        OutputStream copy = new FileOutputStream(file);
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                copy.write(b);
            }
        };
    }
}
