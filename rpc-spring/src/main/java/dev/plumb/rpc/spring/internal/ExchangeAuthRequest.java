package dev.plumb.rpc.spring.internal;

import dev.plumb.rpc.web.RpcAuthRequest;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** A WebFlux request (here: a WebSocket handshake) as an {@code RpcAuthenticator} sees it. */
public final class ExchangeAuthRequest implements RpcAuthRequest {

    private final ServerHttpRequest request;

    /** Wraps {@code request}. */
    public ExchangeAuthRequest(ServerHttpRequest request) {
        this.request = request;
    }

    @Override
    public String header(String name) {
        return request.getHeaders().getFirst(name);
    }

    @Override
    public String queryParam(String name) {
        return request.getQueryParams().getFirst(name);
    }

    @Override
    public List<String> headers(String name) {
        return request.getHeaders().getOrEmpty(name);
    }

    @Override
    public List<String> queryParams(String name) {
        return request.getQueryParams().getOrDefault(name, List.of());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.getRemoteAddress();
    }
}
