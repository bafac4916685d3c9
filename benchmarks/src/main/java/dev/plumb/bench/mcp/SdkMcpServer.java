package dev.plumb.bench.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import reactor.core.publisher.Mono;

/**
 * The official MCP Java SDK's side of the MCP benchmark ({@code io.modelcontextprotocol.sdk:mcp} 2.1.0): the same
 * {@code echo} tool on its {@link StdioServerTransportProvider}, at the SDK's defaults. Without arguments, its
 * asynchronous server ({@code McpServer.async}); with {@code --sync-immediate}, its synchronous server with
 * {@code immediateExecution(true)} (the tool runs on the transport's thread). Its default synchronous server runs
 * each tool call on {@code boundedElastic} and failed under pipelined load in an earlier trial (it dropped a
 * response and exited), so it is not measured here; {@code --sync} runs it for whoever wants to see that.
 */
public final class SdkMcpServer {

    private SdkMcpServer() {
    }

    /** Serves on stdin/stdout; exits at the end of input. */
    public static void main(String[] args) throws InterruptedException {
        List<String> options = List.of(args);
        McpJsonMapper json = McpJsonDefaults.getMapper();
        CountDownLatch closed = new CountDownLatch(1);
        // the SDK's transport does not end the process at end of input: watch for it, and exit then
        InputStream stdin = new FilterInputStream(System.in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    closed.countDown();
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c < 0) {
                    closed.countDown();
                }
                return c;
            }
        };
        StdioServerTransportProvider transport = new StdioServerTransportProvider(json, stdin, System.out);
        McpSchema.Tool echo = McpSchema.Tool.builder().name("echo").description("Returns its text argument")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")),
                        "required", List.of("text")))
                .build();
        McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder().tools(false).build();
        if (options.contains("--sync-immediate") || options.contains("--sync")) {
            McpServer.sync(transport).serverInfo("sdk-mcp-bench", "1").capabilities(capabilities)
                    .immediateExecution(options.contains("--sync-immediate"))
                    .toolCall(echo, (exchange, request) -> McpSchema.CallToolResult.builder()
                            .addTextContent((String) request.arguments().get("text")).isError(false).build())
                    .build();
        } else {
            McpServer.async(transport).serverInfo("sdk-mcp-bench", "1").capabilities(capabilities)
                    .toolCall(echo, (exchange, request) -> Mono.just(McpSchema.CallToolResult.builder()
                            .addTextContent((String) request.arguments().get("text")).isError(false).build()))
                    .build();
        }
        // the SDK's stdio transport reads and writes on threads of its own; this thread waits for the end of input
        closed.await();
        Thread.sleep(500); // let the last replies out
        System.exit(0);
    }
}
