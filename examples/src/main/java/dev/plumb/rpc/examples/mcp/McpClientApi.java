package dev.plumb.rpc.examples.mcp;

import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.mcp.McpSchema.CreateMessageParams;
import dev.plumb.rpc.examples.mcp.McpSchema.CreateMessageResult;
import dev.plumb.rpc.examples.mcp.McpSchema.ListRootsParams;
import dev.plumb.rpc.examples.mcp.McpSchema.ListRootsResult;
import dev.plumb.rpc.examples.mcp.McpSchema.LoggingMessageParams;
import reactor.core.publisher.Mono;

/**
 * What an MCP server calls on its client (the part the examples use): the client implements it, a server handler
 * calls a proxy of it through {@code RpcPeer.current()}.
 */
@RpcService
public interface McpClientApi {

    /** The client's roots. */
    @RpcMethod("roots/list")
    Mono<ListRootsResult> listRoots(ListRootsParams params);

    /** Asks the client's model for a message. */
    @RpcMethod("sampling/createMessage")
    Mono<CreateMessageResult> createMessage(CreateMessageParams params);

    /** A log message from the server (a notification). */
    @RpcMethod("notifications/message")
    void log(LoggingMessageParams params);
}
