package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcPeer;

/**
 * Told of each WebSocket client that connected, with the {@link RpcPeer} the server can call, notify and stream to
 * that client through; {@code peer.onClose()} tells when it left. Every bean of this type is called, in
 * {@code @Order}; one that throws is logged and the others still run.
 */
@FunctionalInterface
public interface RpcConnectListener {

    /** Called once per connection, on the thread that accepted it: must not block. */
    void onConnect(RpcPeer peer);
}
