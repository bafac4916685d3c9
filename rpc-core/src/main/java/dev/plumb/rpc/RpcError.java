package dev.plumb.rpc;

import org.jspecify.annotations.Nullable;

/**
 * A JSON-RPC error object: {@code code}, {@code message} and optional {@code data}.
 *
 * <p>{@code data} is whatever the error carries: a {@link RawJson} when decoded from the wire, or any value
 * Jackson can write when a handler builds the error. The factory methods give the standard errors of the
 * specification with its messages.
 *
 * @param code    the error code; -32768 to -32000 are reserved by the specification
 * @param message a short description
 * @param data    extra information, or {@code null}
 */
public record RpcError(int code, String message, @Nullable Object data) {

    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON sent is not a valid Request object. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Invalid method parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** Internal JSON-RPC error, also used for handler failures. */
    public static final int INTERNAL_ERROR = -32603;
    /** The request was cancelled by its caller (LSP's {@code RequestCancelled}). */
    public static final int REQUEST_CANCELLED = -32800;
    /** The server refused the caller's credentials (Plumb's choice in the implementation-defined range). */
    public static final int UNAUTHORIZED = -32001;

    /** An error with no data. */
    public RpcError(int code, String message) {
        this(code, message, null);
    }

    /** -32700 Parse error. */
    public static RpcError parseError() {
        return new RpcError(PARSE_ERROR, "Parse error");
    }

    /** -32600 Invalid Request. */
    public static RpcError invalidRequest() {
        return new RpcError(INVALID_REQUEST, "Invalid Request");
    }

    /** -32600 with a more specific message. */
    public static RpcError invalidRequest(String message) {
        return new RpcError(INVALID_REQUEST, message);
    }

    /** -32601 Method not found. */
    public static RpcError methodNotFound() {
        return new RpcError(METHOD_NOT_FOUND, "Method not found");
    }

    /** -32602 Invalid params. */
    public static RpcError invalidParams() {
        return new RpcError(INVALID_PARAMS, "Invalid params");
    }

    /** -32602 Invalid params with a reason in {@code data}. */
    public static RpcError invalidParams(String reason) {
        return new RpcError(INVALID_PARAMS, "Invalid params", reason);
    }

    /** -32603 Internal error. */
    public static RpcError internalError() {
        return new RpcError(INTERNAL_ERROR, "Internal error");
    }

    /** -32800 Request cancelled. */
    public static RpcError requestCancelled() {
        return new RpcError(REQUEST_CANCELLED, "Request cancelled");
    }

    /** The same error with other data. */
    public RpcError withData(Object newData) {
        return new RpcError(code, message, newData);
    }

    @Override
    public String toString() {
        return code + " " + message + (data == null ? "" : " (" + data + ")");
    }
}
