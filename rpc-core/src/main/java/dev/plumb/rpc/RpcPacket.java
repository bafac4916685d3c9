package dev.plumb.rpc;

/**
 * What one decoded frame is: a single {@link RpcMessage}, a {@link RpcBatch}, or an {@link RpcInvalid} verdict.
 *
 * <p>The interface is sealed, so a {@code switch} over a packet is checked by the compiler.
 */
public sealed interface RpcPacket permits RpcMessage, RpcInvalid, RpcBatch {
}
