package dev.plumb.rpc.examples.mcp;

import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.mcp.McpSchema.CallToolParams;
import dev.plumb.rpc.examples.mcp.McpSchema.CallToolResult;
import dev.plumb.rpc.examples.mcp.McpSchema.InitializeParams;
import dev.plumb.rpc.examples.mcp.McpSchema.InitializeResult;
import dev.plumb.rpc.examples.mcp.McpSchema.ListToolsParams;
import dev.plumb.rpc.examples.mcp.McpSchema.ListToolsResult;
import reactor.core.publisher.Mono;

/**
 * What an MCP client calls on a server (the part the examples use), as one typed service: the server implements
 * it, the client calls a proxy of it. MCP's method names are given as they are; nothing needs a special case.
 * {@code ping} and {@code notifications/initialized} are the dialect's ({@code Mcp.ping}, {@code Mcp.initialize}).
 */
@RpcService
public interface McpServerApi {

    /** Opens the session (the dialect's {@code Mcp.initialize} sends it, then {@code notifications/initialized}). */
    Mono<InitializeResult> initialize(InitializeParams params);

    /** The server's tools. */
    @RpcMethod("tools/list")
    Mono<ListToolsResult> listTools(ListToolsParams params);

    /** Runs a tool. */
    @RpcMethod("tools/call")
    Mono<CallToolResult> callTool(CallToolParams params);
}
