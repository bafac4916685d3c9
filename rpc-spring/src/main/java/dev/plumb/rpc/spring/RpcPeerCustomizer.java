package dev.plumb.rpc.spring;

import dev.plumb.rpc.RpcPeer;

/**
 * Tunes the {@link RpcPeer} of each WebSocket connection (dialect, limits, scheduler): every bean of this type is
 * applied, in {@code @Order}, after the {@code plumb.rpc.websocket.*} properties.
 */
@FunctionalInterface
public interface RpcPeerCustomizer {

    /**
     * Changes {@code builder}, which already carries the router, the name and the properties' settings, and returns
     * the result: the builder is immutable, so return what its methods return ({@code b -> b.timeout(…)}).
     */
    RpcPeer.Builder customize(RpcPeer.Builder builder);
}
