package dev.plumb.rpc.spring;

import dev.plumb.rpc.spring.internal.JsonRpcErrorResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a request that Spring Security refuses to an authenticated caller (missing authority, or a CSRF check
 * when it is left on) with {@code 403} and the body
 * {@code {"jsonrpc":"2.0","error":{"code":-32001,"message":"Forbidden"},"id":null}}. Use it with
 * {@code .exceptionHandling(e -> e.accessDeniedHandler(handler))}; the starter provides it as a bean.
 */
public final class RpcAccessDeniedHandler implements ServerAccessDeniedHandler {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return JsonRpcErrorResponse.forbidden(exchange.getResponse());
    }
}
