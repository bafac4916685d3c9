package dev.plumb.rpc.examples.mcp;

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
import dev.plumb.rpc.examples.mcp.McpSchema.ListToolsParams;
import dev.plumb.rpc.examples.mcp.McpSchema.ListToolsResult;
import dev.plumb.rpc.examples.mcp.McpSchema.LoggingMessageParams;
import dev.plumb.rpc.examples.mcp.McpSchema.Root;
import dev.plumb.rpc.examples.mcp.McpSchema.Tool;
import dev.plumb.rpc.pipe.Mcp;
import dev.plumb.rpc.pipe.PipeTransport;
import dev.plumb.rpc.pipe.RunningCoprocess;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An MCP client on Plumb: starts an MCP server as a child process under {@code Coprocess} supervision (the
 * {@code Mcp} dialect on its transport and peer, the handshake as the child's initialiser, so a restarted child is
 * initialised again), and calls it through a proxy of {@link McpServerApi}. What the server may ask of the client
 * ({@code roots/list}, {@code sampling/createMessage}, log messages) is answered by a {@link McpClientApi}.
 *
 * <p>Run: {@code java -cp … dev.plumb.rpc.examples.mcp.ExampleMcpClient [server command…]} (default: this JVM
 * running {@link ExampleMcpServer}): lists the server's tools, calls {@code echo}, {@code count} with progress and
 * {@code roots}, prints what it got, and stops the server.
 */
public final class ExampleMcpClient implements AutoCloseable {

    private final RunningCoprocess server;
    private final AtomicReference<InitializeResult> initialized;

    private ExampleMcpClient(RunningCoprocess server, AtomicReference<InitializeResult> initialized) {
        this.server = server;
        this.initialized = initialized;
    }

    /** Starts {@code command} as an MCP server and initialises it; {@code client} answers its calls back. */
    public static ExampleMcpClient start(PipeTransport command, McpClientApi client) {
        Mcp mcp = Mcp.dialect();
        RpcRouter router = mcp.clientRoutes(RpcRouter.builder().service(client)).build();
        InitializeParams hello = new InitializeParams(Mcp.PROTOCOL_VERSION,
                Map.of("roots", Map.of("listChanged", false), "sampling", Map.of()),
                new Implementation("plumb-example-mcp-client", "1.0.0"), null);
        AtomicReference<InitializeResult> initialized = new AtomicReference<>();
        RunningCoprocess server = mcp.coprocess(command)
                .peer(b -> b.router(router)) // added to the dialect's peer settings
                .initializer(peer -> Mcp.initialize(peer, hello, InitializeResult.class)
                        .doOnNext(result -> {
                            if (!Mcp.PROTOCOL_VERSIONS.contains(result.protocolVersion())) {
                                throw new IllegalStateException("the server speaks MCP "
                                        + result.protocolVersion() + ", which this client does not");
                            }
                            initialized.set(result);
                        }))
                .start();
        return new ExampleMcpClient(server, initialized);
    }

    /** The current server's peer, once it is initialised. */
    public Mono<RpcPeer> peer() {
        return server.peer();
    }

    /** What the server said to {@code initialize} (null until it has). */
    public InitializeResult serverInfo() {
        return initialized.get();
    }

    /** The server's tools. */
    public Mono<ListToolsResult> listTools() {
        return server.peer().flatMap(p -> p.proxy(McpServerApi.class).listTools(new ListToolsParams(null, null)));
    }

    /** Calls a tool. */
    public Mono<CallToolResult> callTool(String name, Map<String, Object> arguments) {
        return server.peer().flatMap(p -> p.proxy(McpServerApi.class)
                .callTool(new CallToolParams(name, arguments, null)));
    }

    /** Calls a tool asking for progress: its progress updates, then its result. */
    public Flux<Mcp.Update<CallToolResult>> callToolWithProgress(String name, Map<String, Object> arguments) {
        return server.peer().flatMapMany(p -> Mcp.callWithProgress(p, "tools/call",
                new CallToolParams(name, arguments, null), CallToolResult.class));
    }

    /** Pings the server. */
    public Mono<Void> ping() {
        return server.peer().flatMap(Mcp::ping);
    }

    /** Stops the server (closes its stdin, then signals) and waits for it. */
    @Override
    public void close() {
        server.stop().block(Duration.ofSeconds(10));
    }

    /** A client side that has roots, a canned "model", and prints the server's log messages to stderr. */
    public static final class Defaults implements McpClientApi {
        private final List<Root> roots;

        /** With these roots. */
        public Defaults(List<Root> roots) {
            this.roots = roots;
        }

        @Override
        public Mono<ListRootsResult> listRoots(ListRootsParams params) {
            return Mono.just(new ListRootsResult(roots));
        }

        @Override
        public Mono<CreateMessageResult> createMessage(CreateMessageParams params) {
            return Mono.just(new CreateMessageResult("assistant", Content.text("42"), "canned", "endTurn"));
        }

        @Override
        public void log(LoggingMessageParams params) {
            System.err.println("server log [" + params.level() + "] " + params.data());
        }
    }

    /** Lists and calls the tools of the server given on the command line (default: {@link ExampleMcpServer}). */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<String> command = args.length > 0 ? List.of(args) : List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ExampleMcpServer.class.getName());
        Defaults client = new Defaults(List.of(new Root("file:///work/project", "project")));
        try (ExampleMcpClient mcp = start(PipeTransport.command(command).name("mcp-server"), client)) {
            List<Tool> tools = mcp.listTools().block(Duration.ofSeconds(30)).tools();
            out.println("server: " + mcp.serverInfo().serverInfo().name() + " " + mcp.serverInfo().serverInfo().version()
                    + ", MCP " + mcp.serverInfo().protocolVersion());
            for (Tool t : tools) {
                out.println("tool " + t.name() + ": " + t.description());
            }
            out.println("echo -> " + mcp.callTool("echo", Map.of("text", "hello")).block().firstText());
            List<String> updates = new ArrayList<>();
            for (Mcp.Update<CallToolResult> u : mcp.callToolWithProgress("count", Map.of("n", 3, "delayMs", 20))
                    .collectList().block(Duration.ofSeconds(30))) {
                updates.add(u instanceof Mcp.Progress<CallToolResult> p
                        ? "progress " + (int) p.progress() + "/" + p.total().intValue() + " (" + p.message() + ")"
                        : "result " + ((Mcp.Result<CallToolResult>) u).value().firstText());
            }
            updates.forEach(u -> out.println("count -> " + u));
            out.println("roots -> " + mcp.callTool("roots", Map.of()).block().firstText());
            out.println("ask -> " + mcp.callTool("ask", Map.of("question", "meaning of life?")).block().firstText());
            mcp.ping().block(Duration.ofSeconds(10));
            out.println("ping -> ok");
        }
    }
}
