package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcException;

/**
 * An HTTP server answered a JSON-RPC request with a non-2xx status and a body that is not a JSON-RPC error: a
 * proxy's error page, a {@code 413}, a {@code 405}. Carries the status and the start of the body.
 */
public class HttpRpcException extends RpcException {

    private final int status;
    private final String bodySnippet;

    /** A failure with {@code status} and the first characters of the body. */
    public HttpRpcException(int status, String bodySnippet) {
        super("HTTP " + status + (bodySnippet == null || bodySnippet.isEmpty() ? "" : ": " + bodySnippet));
        this.status = status;
        this.bodySnippet = bodySnippet == null ? "" : bodySnippet;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The first characters of the response body (at most 200), possibly empty. */
    public String bodySnippet() {
        return bodySnippet;
    }
}
