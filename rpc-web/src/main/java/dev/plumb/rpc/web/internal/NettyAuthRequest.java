package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.web.RpcAuthRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;

/** A reactor-netty request as an authenticator sees it. */
public final class NettyAuthRequest implements RpcAuthRequest {

    private final HttpHeaders headers;
    private final String uri;
    private final InetSocketAddress remote;

    /** The request with {@code headers}, request target {@code uri} and {@code remote} address. */
    public NettyAuthRequest(HttpHeaders headers, String uri, InetSocketAddress remote) {
        this.headers = headers;
        this.uri = uri;
        this.remote = remote;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String queryParam(String name) {
        if (uri.indexOf('?') < 0) {
            return null;
        }
        List<String> values = new QueryStringDecoder(uri).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    @Override
    public List<String> queryParams(String name) {
        if (uri.indexOf('?') < 0) {
            return List.of();
        }
        List<String> values = new QueryStringDecoder(uri).parameters().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }
}
