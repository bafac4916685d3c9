package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcResponse;
import dev.plumb.rpc.RpcWireTap;
import dev.plumb.rpc.web.HttpRpcException;
import dev.plumb.rpc.web.HttpRpcOptions;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import tools.jackson.databind.JsonNode;

/** One HTTP POST of a JSON-RPC body and the checks on its reply, for {@code HttpRpcClient}. */
public final class HttpExchange {

    private static final int SNIPPET = 200;

    private final HttpClient http;
    private final URI uri;
    private final Map<String, String> headers;
    private final String token;
    private final int maxResponseBytes;
    private final RpcWireTap tap;

    /** An exchange with {@code uri} through {@code http}, its bodies shown to {@code tap} if not null. */
    public HttpExchange(HttpClient http, URI uri, Map<String, String> headers, String token, int maxResponseBytes,
                        RpcWireTap tap) {
        this.http = http;
        this.uri = uri;
        this.headers = headers;
        this.token = token;
        this.maxResponseBytes = maxResponseBytes;
        this.tap = tap;
    }

    /** This exchange with {@code more} headers too (a call's metadata); itself when there are none. */
    public HttpExchange withHeaders(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.putAll(more);
        return new HttpExchange(http, uri, h, token, maxResponseBytes, tap);
    }

    private void show(RpcWireTap.Direction direction, byte[] body) {
        if (tap != null && body.length > 0) {
            try {
                tap.frame(uri.toString(), direction, body);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(HttpExchange.class).warn("the wire tap failed", e);
            }
        }
    }

    private HttpClient.ResponseReceiver<?> request(byte[] body, boolean ndjson) {
        show(RpcWireTap.Direction.OUT, body);
        return http.headers(h -> {
                    h.set(HttpHeaderNames.CONTENT_TYPE, HttpRpcService.JSON);
                    h.set(HttpHeaderNames.ACCEPT, ndjson ? HttpRpcOptions.NDJSON + ", " + HttpRpcService.JSON
                            : HttpRpcService.JSON);
                    if (token != null) {
                        h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
                    }
                    headers.forEach(h::set);
                    if (body.length > NettyRpcHandler.SLICE_BYTES) {
                        h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                    }
                })
                .post()
                .uri(uri)
                .send(body.length > NettyRpcHandler.SLICE_BYTES ? NettyRpcHandler.slices(body)
                        : Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)));
    }

    /** Posts {@code body}; the JSON reply body, or an empty array for {@code 204}/{@code 202}. */
    public Mono<byte[]> post(byte[] body, boolean ndjson) {
        return request(body, ndjson)
                .response((response, content) -> readWhole(response, content))
                .next()
                .onErrorMap(this::isTransportFailure, this::closed);
    }

    /** Whether {@code e} is a failure to connect, send or receive (not an answer the server gave). */
    private boolean isTransportFailure(Throwable e) {
        return e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof java.net.SocketException;
    }

    private RpcConnectionClosedException closed(Throwable e) {
        return new RpcConnectionClosedException("HTTP exchange with " + uri + " failed: " + e, e);
    }

    private Mono<byte[]> readWhole(HttpClientResponse response, ByteBufFlux content) {
        int status = response.status().code();
        long announced = response.responseHeaders().getInt(HttpHeaderNames.CONTENT_LENGTH, -1);
        Mono<byte[]> bytes = content
                .reduceWith(() -> new BodyAccumulator(maxResponseBytes, announced),
                        (acc, buf) -> acc.add(buf.readableBytes(),
                                (from, t, off, len) -> buf.getBytes(buf.readerIndex() + from, t, off, len)))
                .map(BodyAccumulator::toByteArray)
                .onErrorMap(BodyTooLargeException.class, e -> new RpcProtocolException(e.outOfMemory()
                        ? "the reply (" + e.size() + " bytes or more) does not fit in memory"
                        : "the reply exceeds " + maxResponseBytes + " bytes"))
                .defaultIfEmpty(new byte[0]);
        return bytes.map(b -> {
            show(RpcWireTap.Direction.IN, b);
            return check(status, response.responseHeaders(), b);
        });
    }

    private static byte[] check(int status, HttpHeaders headers, byte[] body) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        boolean json = type != null && HttpRpcService.isJson(type);
        if (status < 200 || status > 299) {
            if (json && body.length > 0) {
                jsonRpcError(body);
            }
            throw new HttpRpcException(status, snippet(body));
        }
        if (body.length == 0) {
            return body;
        }
        if (!json) {
            throw new RpcProtocolException("expected a JSON reply, got " + (type == null ? "no content type" : type)
                    + " (HTTP " + status + "): " + snippet(body));
        }
        return body;
    }

    /** Throws the JSON-RPC error {@code body} holds, if it holds one. */
    private static void jsonRpcError(byte[] body) {
        RpcPacket p = RpcCodec.defaults().decode(body);
        if (p instanceof RpcResponse r && r.isError()) {
            throw new RpcErrorException(r.error());
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, SNIPPET * 4), StandardCharsets.UTF_8).strip();
        return s.length() > SNIPPET ? s.substring(0, SNIPPET) + "…" : s;
    }

    /**
     * Posts {@code body} asking for a stream; the items' JSON bytes. A plain JSON reply (an array result, or an
     * error) is read whole and {@code plainResult} gives its result.
     */
    public Flux<byte[]> stream(byte[] body, NdjsonReader reader, Function<byte[], RawJson> plainResult,
                               RpcCodec codec) {
        return request(body, true).response((response, content) -> {
            String type = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
            int status = response.status().code();
            if (status == 200 && type != null
                    && type.toLowerCase(Locale.ROOT).startsWith(HttpRpcOptions.NDJSON)) {
                return content.asByteArray()
                        .doOnNext(chunk -> show(RpcWireTap.Direction.IN, chunk))
                        .concatMapIterable(reader::feed, 1)
                        .onErrorMap(this::isTransportFailure, this::closed)
                        .concatWith(Flux.defer(reader::finish));
            }
            return readWhole(response, content).flatMapMany(bytes -> {
                if (bytes.length == 0) {
                    return Flux.error(new RpcProtocolException("the server sent no answer"));
                }
                RawJson result = plainResult.apply(bytes);
                JsonNode tree = codec.tree(result);
                if (!tree.isArray()) {
                    return Flux.error(new RpcProtocolException("expected a stream or an array, got " + snippet(
                            result.toByteArray())));
                }
                List<byte[]> items = new ArrayList<>(tree.size());
                for (JsonNode item : tree) {
                    items.add(codec.mapper().writeValueAsBytes(item));
                }
                return Flux.fromIterable(items);
            });
        }).onErrorMap(this::isTransportFailure, this::closed);
    }
}
