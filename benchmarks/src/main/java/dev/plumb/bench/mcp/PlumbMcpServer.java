package dev.plumb.bench.mcp;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.pipe.Mcp;
import dev.plumb.rpc.pipe.StdioServer;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The Plumb side of the MCP benchmark: an MCP server over stdio written the way the {@code Mcp} dialect's
 * documentation shows, at its defaults — a typed {@code @RpcService} interface for MCP's methods, served by
 * {@code Mcp.dialect().serverRoutes(…)} on {@code Mcp.dialect().server(StdioServer.create()…)}. One tool,
 * {@code echo}, returns its {@code text} argument as text content; the arguments bind to a map, as in MCP's
 * schema (and the official Java SDK).
 */
public final class PlumbMcpServer {

    private PlumbMcpServer() {
    }

    /** MCP's server methods this benchmark needs. */
    @RpcService
    public interface EchoServer {
        /** The handshake. */
        Mono<InitializeResult> initialize(InitializeParams params);

        /** The tools. */
        @RpcMethod("tools/list")
        Mono<ListToolsResult> listTools(ListToolsParams params);

        /** A tool call. */
        @RpcMethod("tools/call")
        Mono<CallToolResult> callTool(CallToolParams params);
    }

    /** {@code initialize} params (what this server reads of them). */
    public record InitializeParams(String protocolVersion, JsonNode capabilities, Implementation clientInfo) {
    }

    /** A client's or server's name and version. */
    public record Implementation(String name, String version) {
    }

    /** The {@code initialize} result. */
    public record InitializeResult(String protocolVersion, Map<String, Object> capabilities,
                                   Implementation serverInfo) {
    }

    /** {@code tools/list} params. */
    public record ListToolsParams(String cursor) {
    }

    /** One tool. */
    public record Tool(String name, String description, Map<String, Object> inputSchema) {
    }

    /** The {@code tools/list} result. */
    public record ListToolsResult(List<Tool> tools) {
    }

    /** {@code tools/call} params, as MCP's schema has them: the arguments an object of any members. */
    public record CallToolParams(String name, Map<String, Object> arguments,
                                 @JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** Text content. */
    public record TextContent(String type, String text) {
    }

    /** A {@code tools/call} result. */
    public record CallToolResult(List<TextContent> content, boolean isError) {
    }

    static final class Tools implements EchoServer {
        private static final Tool ECHO = new Tool("echo", "Returns its text argument", Map.of("type", "object",
                "properties", Map.of("text", Map.of("type", "string")), "required", List.of("text")));

        @Override
        public Mono<InitializeResult> initialize(InitializeParams params) {
            return Mono.just(new InitializeResult(Mcp.negotiateVersion(params.protocolVersion()),
                    Map.of("tools", Map.of()), new Implementation("plumb-mcp-bench", "1")));
        }

        @Override
        public Mono<ListToolsResult> listTools(ListToolsParams params) {
            return Mono.just(new ListToolsResult(List.of(ECHO)));
        }

        @Override
        public Mono<CallToolResult> callTool(CallToolParams params) {
            if ("echo".equals(params.name()) && params.arguments() != null
                    && params.arguments().get("text") instanceof String text) {
                return Mono.just(new CallToolResult(List.of(new TextContent("text", text)), false));
            }
            return Mono.just(new CallToolResult(List.of(new TextContent("text", "unknown tool")), true));
        }
    }

    /** Serves on stdin/stdout until stdin ends. */
    public static void main(String[] args) {
        Mcp mcp = Mcp.dialect();
        RpcRouter router = mcp.serverRoutes(RpcRouter.builder().service(new Tools())).build();
        mcp.server(StdioServer.create().router(router)).serve();
    }
}
