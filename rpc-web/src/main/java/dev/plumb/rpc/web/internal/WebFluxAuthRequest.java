package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.web.RpcAuthRequest;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;

/** A WebFlux request as an authenticator sees it. */
public final class WebFluxAuthRequest implements RpcAuthRequest {

    private final ServerRequest request;

    /** Wraps {@code request}. */
    public WebFluxAuthRequest(ServerRequest request) {
        this.request = request;
    }

    @Override
    public String header(String name) {
        return request.headers().firstHeader(name);
    }

    @Override
    public String queryParam(String name) {
        return request.queryParam(name).orElse(null);
    }

    @Override
    public List<String> headers(String name) {
        return request.headers().header(name);
    }

    @Override
    public List<String> queryParams(String name) {
        return request.queryParams().getOrDefault(name, List.of());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress().orElse(null);
    }
}
