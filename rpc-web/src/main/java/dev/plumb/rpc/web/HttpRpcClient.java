package dev.plumb.rpc.web;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcClient;
import dev.plumb.rpc.RpcClientCall;
import dev.plumb.rpc.RpcClientFilter;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcResponse;
import dev.plumb.rpc.RpcTimeoutException;
import dev.plumb.rpc.RpcWireTap;
import dev.plumb.rpc.internal.ClientFilterChain;
import dev.plumb.rpc.web.internal.HttpExchange;
import dev.plumb.rpc.web.internal.NdjsonReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * Calls a JSON-RPC server over HTTP: {@code call}, {@code notify}, batches and streamed results, on reactor-netty's
 * pooled {@link HttpClient}.
 *
 * <pre>{@code
 * HttpRpcClient client = HttpRpcClient.create(URI.create("https://example.org/rpc?token=XXX"))
 *     .timeout(Duration.ofSeconds(10));
 * Mono<Integer> diff = client.call("subtract", List.of(42, 23), Integer.class);
 * Flux<Row> rows = client.stream("rows", Map.of("table", "t"), Row.class);
 * }</pre>
 *
 * <p>Immutable: each setting returns a new client sharing the same connection pool. Calls are cold: nothing is
 * sent before subscription. Errors: a JSON-RPC error reply is an {@link RpcErrorException} (whatever the HTTP
 * status), any other non-2xx an {@link HttpRpcException}, a reply that is not JSON, too large or not of the
 * expected type an {@link RpcProtocolException}, no reply in time an {@link RpcTimeoutException}, a failure to
 * connect or a connection lost mid-reply an {@code RpcConnectionClosedException}. A {@code token} query parameter in
 * the URI is kept in the URI and also sent as {@code Authorization: Bearer} unless {@link #token(String)} is set.
 */
public final class HttpRpcClient implements RpcClient {

    /** The default per-call timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The default largest reply (and largest streamed item): 16 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private static final ConnectionProvider POOL = ConnectionProvider.builder("plumb-http")
            .maxConnections(256).pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(30)).build();

    private final URI uri;
    private final HttpClient http;
    private final Map<String, String> headers;
    private final String token;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final RpcCodec codec;
    private final AtomicLong ids;
    private final List<RpcClientFilter> filters;
    private final RpcWireTap wireTap;
    /** {@link #filters} in front of {@link #send}, or {@code null} without filters. */
    private final RpcClientFilter.Next chain;

    private HttpRpcClient(URI uri, HttpClient http, Map<String, String> headers, String token, Duration timeout,
                          int maxResponseBytes, RpcCodec codec, AtomicLong ids, List<RpcClientFilter> filters,
                          RpcWireTap wireTap) {
        this.filters = filters;
        this.wireTap = wireTap;
        this.chain = ClientFilterChain.orNull(filters, this::send);
        this.uri = uri;
        this.http = http;
        this.headers = headers;
        this.token = token;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.codec = codec;
        this.ids = ids;
    }

    /** A client of the endpoint at {@code uri} ({@code http} or {@code https}), on a shared connection pool. */
    public static HttpRpcClient create(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("an HTTP client needs an http or https URI: " + uri);
        }
        return new HttpRpcClient(uri, HttpClient.create(POOL), Map.of(), tokenFromQuery(uri), DEFAULT_TIMEOUT,
                DEFAULT_MAX_RESPONSE_BYTES, RpcCodec.defaults(), new AtomicLong(), List.of(), null);
    }

    /** A client of the endpoint at {@code uri}. */
    public static HttpRpcClient create(String uri) {
        return create(URI.create(uri));
    }

    /** Sends {@code Authorization: Bearer <token>} with every request; {@code null} sends none. */
    public HttpRpcClient token(String newToken) {
        return new HttpRpcClient(uri, http, headers, newToken, timeout, maxResponseBytes, codec, ids, filters, wireTap);
    }

    /** Sends header {@code name: value} with every request. */
    public HttpRpcClient header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new HttpRpcClient(uri, http, Map.copyOf(h), token, timeout, maxResponseBytes, codec, ids, filters,
                wireTap);
    }

    /** How long a call may take, from sending to the whole reply (for a stream: to its first item); default 30 s. */
    public HttpRpcClient timeout(Duration newTimeout) {
        if (newTimeout.isNegative() || newTimeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return new HttpRpcClient(uri, http, headers, token, newTimeout, maxResponseBytes, codec, ids, filters, wireTap);
    }

    /** The largest reply body accepted (and largest streamed item); default 16 MiB. */
    public HttpRpcClient maxResponseBytes(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 2");
        }
        return new HttpRpcClient(uri, http, headers, token, timeout, bytes, codec, ids, filters, wireTap);
    }

    /** The codec params are written and results bound with; default {@link RpcCodec#defaults()}. */
    public HttpRpcClient codec(RpcCodec newCodec) {
        return new HttpRpcClient(uri, http, headers, token, timeout, maxResponseBytes,
                Objects.requireNonNull(newCodec, "codec"), ids, filters, wireTap);
    }

    /**
     * The reactor-netty client to send with, e.g. one with its own {@link ConnectionProvider}, TLS trust or proxy;
     * default a client on a shared pool of up to 256 connections.
     */
    public HttpRpcClient httpClient(HttpClient client) {
        return new HttpRpcClient(uri, Objects.requireNonNull(client, "client"), headers, token, timeout,
                maxResponseBytes, codec, ids, filters, wireTap);
    }

    /**
     * This client with {@code filter} added around its calls, notifications and streams (and so its typed proxies),
     * after the filters it has: filters run in the order added, the first outermost. A call's
     * {@linkplain RpcClientCall#metadata() metadata} is sent as HTTP request headers. Default: none. The contract is
     * in {@link RpcClientFilter}.
     */
    public HttpRpcClient filter(RpcClientFilter filter) {
        List<RpcClientFilter> more = new ArrayList<>(filters);
        more.add(Objects.requireNonNull(filter, "filter"));
        return new HttpRpcClient(uri, http, headers, token, timeout, maxResponseBytes, codec, ids, List.copyOf(more),
                wireTap);
    }

    /**
     * This client with every request and reply body shown to {@code tap} (e.g. {@link RpcWireTap#log()}), under the
     * endpoint's URI; {@code null} for none. A streamed reply is shown as the chunks it arrives in. Default: none.
     */
    public HttpRpcClient wireTap(RpcWireTap tap) {
        return new HttpRpcClient(uri, http, headers, token, timeout, maxResponseBytes, codec, ids, filters, tap);
    }

    /** The end of the filter chain: sends {@code c}. */
    private Flux<RawJson> send(RpcClientCall c) {
        return switch (c.kind()) {
            case CALL -> sendCall(c.method(), c.params(), c.metadata()).flux();
            case NOTIFICATION -> sendNotification(c.method(), c.params(), c.metadata()).thenMany(Flux.empty());
            case STREAM -> sendStream(c.method(), c.params(), RAW, c.metadata());
        };
    }

    private static final tools.jackson.databind.JavaType RAW =
            RpcCodec.defaults().mapper().constructType(RawJson.class);

    /** The endpoint called. */
    public URI uri() {
        return uri;
    }

    /** Calls {@code method} with {@code params} (any value Jackson writes, a {@link RawJson}, or {@code null}). */
    public Mono<JsonNode> call(String method, Object params) {
        return callRaw(method, params).map(codec::tree);
    }

    /** Calls {@code method} and binds the result to {@code resultType} (a {@code null} result completes empty). */
    public <T> Mono<T> call(String method, Object params, Class<T> resultType) {
        return callRaw(method, params).flatMap(raw -> raw.isNull() && resultType != RawJson.class
                ? Mono.empty() : Mono.fromCallable(() -> bind(raw, resultType)));
    }

    private <T> T bind(RawJson raw, Class<T> type) {
        try {
            return codec.bind(raw, type);
        } catch (tools.jackson.core.JacksonException e) {
            throw new RpcProtocolException("the result does not fit " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Calls {@code method} and gives the result undecoded. */
    @Override
    public Mono<RawJson> callRaw(String method, Object params) {
        if (chain == null) {
            return sendCall(method, params, Map.of());
        }
        return ClientFilterChain.run(chain, new RpcClientCall(method, params, RpcClientCall.Kind.CALL)).next();
    }

    private Mono<RawJson> sendCall(String method, Object params, Map<String, String> metadata) {
        return Mono.defer(() -> {
            RpcId id = RpcId.of(ids.incrementAndGet());
            byte[] body = codec.encodeRequest(id, method, params);
            return exchange().withHeaders(metadata).post(body, false)
                    .flatMap(bytes -> {
                        if (bytes.length == 0) {
                            return Mono.error(new RpcProtocolException("the server sent no answer to '" + method
                                    + "'"));
                        }
                        return Mono.just(resultOf(codec.decode(bytes), id));
                    })
                    .timeout(timeout, Mono.error(() -> new RpcTimeoutException(method, timeout)));
        });
    }

    private RawJson resultOf(RpcPacket packet, RpcId id) {
        if (packet instanceof RpcResponse r) {
            if (r.isError()) {
                throw new RpcErrorException(r.error());
            }
            if (!r.id().equals(id)) {
                throw new RpcProtocolException("the answer has id " + r.id() + ", the call had " + id);
            }
            return r.result();
        }
        throw new RpcProtocolException("the answer is not a JSON-RPC response: " + packet);
    }

    /** Sends a notification; completes when the server has accepted it (any 2xx). */
    @Override
    public Mono<Void> notify(String method, Object params) {
        if (chain == null) {
            return sendNotification(method, params, Map.of());
        }
        return ClientFilterChain.run(chain, new RpcClientCall(method, params, RpcClientCall.Kind.NOTIFICATION))
                .then();
    }

    private Mono<Void> sendNotification(String method, Object params, Map<String, String> metadata) {
        return Mono.defer(() -> exchange().withHeaders(metadata).post(codec.encodeNotification(method, params),
                        false))
                .timeout(timeout, Mono.error(() -> new RpcTimeoutException(method, timeout)))
                .then();
    }

    /** An empty batch to add calls and notifications to, sent as one HTTP request. */
    public HttpRpcBatch batch() {
        return new HttpRpcBatch(this, java.util.List.of());
    }

    /**
     * Calls a method that returns a stream and reads its items as they arrive ({@code Accept:
     * application/x-ndjson}). Demand travels back as TCP flow control: the body is read only as fast as items
     * are requested. A server that answers with a plain JSON array instead has its elements emitted.
     */
    public <T> Flux<T> stream(String method, Object params, Class<T> itemType) {
        return stream(method, params, codec.mapper().constructType(itemType));
    }

    /** Calls a method that returns a stream, binding each item to a generic type; as above. */
    @Override
    public <T> Flux<T> stream(String method, Object params, tools.jackson.databind.JavaType itemType) {
        if (chain == null) {
            return sendStream(method, params, itemType, Map.of());
        }
        return ClientFilterChain.run(chain, new RpcClientCall(method, params, RpcClientCall.Kind.STREAM))
                .map(raw -> this.<T>bind(raw, itemType));
    }

    private <T> Flux<T> sendStream(String method, Object params, tools.jackson.databind.JavaType itemType,
                                   Map<String, String> metadata) {
        return Flux.defer(() -> {
            RpcId id = RpcId.of(ids.incrementAndGet());
            byte[] body = codec.encodeRequest(id, method, params);
            NdjsonReader reader = new NdjsonReader(maxResponseBytes, codec);
            return exchange().withHeaders(metadata).stream(body, reader, raw -> resultOf(codec.decode(raw), id), codec)
                    .timeout(Mono.delay(timeout), item -> Mono.never(),
                            Flux.error(() -> new RpcTimeoutException(method, timeout)))
                    .map(line -> this.<T>bind(RawJson.wrap(line, 0, line.length), itemType));
        });
    }

    @SuppressWarnings("unchecked")
    private <T> T bind(RawJson raw, tools.jackson.databind.JavaType type) {
        if (type.getRawClass() == RawJson.class) {
            return (T) raw;
        }
        try {
            return codec.bind(raw, type);
        } catch (tools.jackson.core.JacksonException e) {
            throw new RpcProtocolException("the result does not fit " + type.getRawClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The codec params are written and results bound with. */
    @Override
    public RpcCodec codec() {
        return codec;
    }

    /** The exchange settings of this client (package use: batches). */
    HttpExchange exchange() {
        return new HttpExchange(http, uri, headers, token, maxResponseBytes, wireTap);
    }

    /** The codec (package use: batches). */
    RpcCodec codecUsed() {
        return codec;
    }

    /** A fresh request id (package use: batches). */
    RpcId nextId() {
        return RpcId.of(ids.incrementAndGet());
    }

    /** The timeout (package use: batches). */
    Duration timeoutUsed() {
        return timeout;
    }

    /** The {@code token} query parameter of {@code uri}, or {@code null}. */
    static String tokenFromQuery(URI uri) {
        String q = uri.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (BearerTokenAuthenticator.QUERY_PARAM.equals(key) && eq >= 0) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
