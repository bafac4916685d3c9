package dev.plumb.coworker.channel;

import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * JSON-RPC over HTTP to a URL ({@code POST}, one request per call) with reactor-netty's pooled client. A token
 * travels in the URL ({@code ?token=…}) as given, or as {@code Authorization: Bearer} when set separately.
 *
 * <p>Non-2xx replies and bodies that are not JSON-RPC responses fail the call with a clear message.
 */
public final class WebChannel implements RpcChannel {

    private static final RpcCodec CODEC = RpcCodec.defaults();

    private final URI url;
    private final HttpClient client;
    private final ConnectionProvider connections;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean stopped;

    /** A channel to {@code url}; {@code bearerToken} may be null. */
    public WebChannel(String url, String bearerToken) {
        this.url = URI.create(url);
        this.connections = ConnectionProvider.create("coworker-web", 64);
        HttpClient c = HttpClient.create(connections).headers(h -> h.set("Content-Type", "application/json"));
        if (bearerToken != null && !bearerToken.isBlank()) {
            c = c.headers(h -> h.set("Authorization", "Bearer " + bearerToken));
        }
        this.client = c;
    }

    @Override
    public Mono<JsonNode> call(String method, Object params, Duration timeout) {
        return Mono.defer(() -> {
            if (stopped) {
                return Mono.error(new RpcConnectionClosedException(description() + " is stopped"));
            }
            byte[] body = CODEC.encodeRequest(RpcId.of(ids.incrementAndGet()), method, params);
            return client.post().uri(url).send(ByteBufFlux.fromString(Mono.just(new String(body,
                            java.nio.charset.StandardCharsets.UTF_8))))
                    .responseSingle((res, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                            .map(bytes -> decode(res.status().code(), bytes)));
        }).timeout(timeout, Mono.error(() -> new RpcTimeoutException(method, timeout)));
    }

    private JsonNode decode(int status, byte[] bytes) {
        JsonNode node;
        try {
            node = CODEC.mapper().readTree(bytes);
        } catch (RuntimeException e) {
            throw new RpcConnectionClosedException(description() + " answered HTTP " + status
                    + " with a body that is not JSON");
        }
        JsonNode error = node.get("error");
        if (error != null && !error.isNull()) {
            throw new RpcErrorException(new RpcError(error.path("code").asInt(RpcError.INTERNAL_ERROR),
                    error.path("message").asString("error") + (status >= 300 ? " (HTTP " + status + ")" : ""),
                    error.get("data")));
        }
        if (status < 200 || status >= 300 || !node.has("result")) {
            throw new RpcConnectionClosedException(description() + " answered HTTP " + status
                    + " without a JSON-RPC result");
        }
        return node.get("result");
    }

    @Override
    public boolean isAlive() {
        return !stopped;
    }

    @Override
    public Mono<Void> stop() {
        stopped = true;
        return connections.disposeLater();
    }

    @Override
    public void kill() {
        stopped = true;
        connections.dispose();
    }

    @Override
    public String description() {
        return "web[" + url.getScheme() + "://" + url.getAuthority() + url.getPath() + "]";
    }
}
