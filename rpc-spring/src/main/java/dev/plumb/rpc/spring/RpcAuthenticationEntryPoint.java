package dev.plumb.rpc.spring;

import dev.plumb.rpc.spring.internal.JsonRpcErrorResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a request that Spring Security refuses for want of authentication as Plumb's own endpoints do:
 * {@code 401}, {@code WWW-Authenticate: Bearer} and the body
 * {@code {"jsonrpc":"2.0","error":{"code":-32001,"message":"Unauthorized"},"id":null}} instead of a bare challenge.
 * Use it in the application's {@code SecurityWebFilterChain}, e.g.
 * {@code .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint))}; the starter provides it as a bean.
 */
public final class RpcAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
        return JsonRpcErrorResponse.unauthorized(exchange.getResponse());
    }
}
