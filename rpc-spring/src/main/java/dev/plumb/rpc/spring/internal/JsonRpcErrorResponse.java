package dev.plumb.rpc.spring.internal;

import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/** Writes an HTTP refusal whose body is a JSON-RPC error response with a {@code null} id, as Plumb's servers do. */
public final class JsonRpcErrorResponse {

    private JsonRpcErrorResponse() {
    }

    /** The 401 body: {@code {"jsonrpc":"2.0","error":{"code":-32001,"message":"Unauthorized"},"id":null}}. */
    public static Mono<Void> unauthorized(ServerHttpResponse response) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return write(response, HttpStatus.UNAUTHORIZED, RpcError.UNAUTHORIZED, "Unauthorized");
    }

    /**
     * The 400 refusal of credentials given more than once or in more than one place (RFC 6750 §3.1), with code
     * -32600, as Plumb's own servers answer it.
     */
    public static Mono<Void> ambiguousCredentials(ServerHttpResponse response) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\"");
        return write(response, HttpStatus.BAD_REQUEST, RpcError.INVALID_REQUEST,
                "Invalid Request: credentials given more than once");
    }

    /** The 403 body, with code -32001 and the message {@code Forbidden}. */
    public static Mono<Void> forbidden(ServerHttpResponse response) {
        return write(response, HttpStatus.FORBIDDEN, RpcError.UNAUTHORIZED, "Forbidden");
    }

    /** Writes {@code status} with a JSON-RPC error body of {@code code} and {@code message}. */
    public static Mono<Void> write(ServerHttpResponse response, HttpStatus status, int code, String message) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        byte[] body = RpcCodec.defaults().encodeError(RpcId.NULL, new RpcError(code, message));
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** Writes {@code status} with a plain-text body. */
    public static Mono<Void> text(ServerHttpResponse response, HttpStatus status, String text) {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatusCode(status);
        response.getHeaders().setContentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8));
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
