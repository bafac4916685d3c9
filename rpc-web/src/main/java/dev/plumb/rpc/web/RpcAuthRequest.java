package dev.plumb.rpc.web;

import java.net.InetSocketAddress;

/**
 * The parts of an incoming HTTP or WebSocket request an {@link RpcAuthenticator} may look at: headers, query
 * parameters and the remote address. The body is not available: authentication happens before it is read.
 */
public interface RpcAuthRequest {

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    String header(String name);

    /** The first value of query parameter {@code name}, or {@code null}. */
    String queryParam(String name);

    /** The remote address, or {@code null} when unknown. */
    InetSocketAddress remoteAddress();
}
