package dev.plumb.rpc.web;

import java.net.InetSocketAddress;
import java.util.List;

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

    /**
     * Every value of header {@code name} (case-insensitive), in the order received; empty when absent. The default
     * knows only the first; Plumb's own requests give them all.
     */
    default List<String> headers(String name) {
        String value = header(name);
        return value == null ? List.of() : List.of(value);
    }

    /**
     * Every value of query parameter {@code name}, in order; empty when absent. The default knows only the first;
     * Plumb's own requests give them all.
     */
    default List<String> queryParams(String name) {
        String value = queryParam(name);
        return value == null ? List.of() : List.of(value);
    }

    /**
     * Whether the request gives credentials more than once or in more than one place: two {@code Authorization}
     * headers, the {@code token} query parameter twice, or both a header and the parameter. RFC 6750 §3.1 has such
     * a request refused with 400 {@code invalid_request}, and Plumb's servers do so before any authenticator runs.
     */
    default boolean hasAmbiguousCredentials() {
        int headers = headers("Authorization").size();
        int tokens = queryParams(BearerTokenAuthenticator.QUERY_PARAM).size();
        return headers + tokens > 1;
    }
}
