package dev.plumb.rpc;

/**
 * One well-formed JSON-RPC 2.0 message: a {@link RpcRequest}, a {@link RpcNotification} or a {@link RpcResponse}.
 */
public sealed interface RpcMessage extends RpcPacket permits RpcRequest, RpcNotification, RpcResponse {
}
