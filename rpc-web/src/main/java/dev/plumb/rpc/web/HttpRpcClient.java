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
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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
 * connect or a connection lost mid-reply an {@code RpcConnectionClosedException}. Credentials go once, in one place
 * (servers refuse them given twice, RFC 6750 §3.1): a {@code token} query parameter in the URI is sent as it is,
 * unless {@link #token(String)} is set; then the token goes as {@code Authorization: Bearer} and the parameter is
 * taken out of the URI.
 */
public final class HttpRpcClient implements RpcClient {

    /** The default per-call timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The default largest reply (and largest streamed item): 16 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private static final ConnectionProvider POOL = ConnectionProvider.builder("plumb-http")
            .maxConnections(256).pendingAcquireMaxCount(-1).maxIdleTime(Duration.ofSeconds(30)).build();

    private final Settings settings;
    private final URI uri;
    private final RpcCodec codec;
    private final Duration timeout;
    /** The filters in front of {@link #send}, or {@code null} without filters; built once per client. */
    private final RpcClientFilter.@Nullable Next chain;

    private HttpRpcClient(Settings settings) {
        this.settings = settings;
        this.uri = settings.uri;
        this.codec = settings.codec;
        this.timeout = settings.timeout;
        this.chain = settings.filters.isEmpty() ? null : RpcClientFilter.chain(settings.filters, this::send);
    }

    /** A client of the endpoint at {@code uri} ({@code http} or {@code https}), on a shared connection pool. */
    public static HttpRpcClient create(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("an HTTP client needs an http or https URI: " + uri);
        }
        return new HttpRpcClient(new Settings(uri, null));
    }

    /** A client of the endpoint at {@code uri}. */
    public static HttpRpcClient create(String uri) {
        return create(URI.create(uri));
    }

    /**
     * Sends {@code Authorization: Bearer <token>} with every request, and no {@code token} query parameter;
     * {@code null} sends none. Default: none (credentials are what the URI gives).
     */
    public HttpRpcClient token(@Nullable String newToken) {
        return with(s -> s.token = newToken);
    }

    /** Also sends header {@code name: value} with every request. Default: no extra headers. */
    public HttpRpcClient header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with(s -> {
            Map<String, String> h = new LinkedHashMap<>(s.headers);
            h.put(name, value);
            s.headers = Map.copyOf(h);
        });
    }

    /**
     * How long a call may take, from sending to the whole reply (for a stream: to its first item). Default:
     * 30 s ({@link #DEFAULT_TIMEOUT}).
     */
    public HttpRpcClient timeout(Duration newTimeout) {
        if (newTimeout.isNegative() || newTimeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return with(s -> s.timeout = newTimeout);
    }

    /** The largest reply body accepted (and largest streamed item). Default: 16 MiB. */
    public HttpRpcClient maxResponseBytes(int bytes) {
        if (bytes < 2) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 2");
        }
        return with(s -> s.maxResponseBytes = bytes);
    }

    /** The codec params are written and results bound with. Default: {@link RpcCodec#defaults()}. */
    public HttpRpcClient codec(RpcCodec newCodec) {
        Objects.requireNonNull(newCodec, "codec");
        return with(s -> s.codec = newCodec);
    }

    /**
     * The reactor-netty client to send with, e.g. one with its own {@link ConnectionProvider}, TLS trust or proxy.
     * Default: a client on a shared pool of up to 256 connections.
     */
    public HttpRpcClient httpClient(HttpClient client) {
        Objects.requireNonNull(client, "client");
        return with(s -> s.http = client);
    }

    /**
     * This client with {@code filter} added around its calls, notifications and streams (and so its typed proxies),
     * after the filters it has: filters run in the order added, the first outermost. A call's
     * {@linkplain RpcClientCall#metadata() metadata} is sent as HTTP request headers. Default: none. The contract is
     * in {@link RpcClientFilter}.
     */
    public HttpRpcClient filter(RpcClientFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return with(s -> {
            List<RpcClientFilter> more = new ArrayList<>(s.filters);
            more.add(filter);
            s.filters = List.copyOf(more);
        });
    }

    /**
     * This client with every request and reply body shown to {@code tap} (e.g. {@link RpcWireTap#log()}), under the
     * endpoint's URI; {@code null} for none. A streamed reply is shown as the chunks it arrives in. Default: none.
     */
    public HttpRpcClient wireTap(@Nullable RpcWireTap tap) {
        return with(s -> s.wireTap = tap);
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
    public Mono<JsonNode> call(String method, @Nullable Object params) {
        return callRaw(method, params).map(codec::tree);
    }

    /** Calls {@code method} and binds the result to {@code resultType} (a {@code null} result completes empty). */
    public <T> Mono<T> call(String method, @Nullable Object params, Class<T> resultType) {
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
    public Mono<RawJson> callRaw(String method, @Nullable Object params) {
        if (chain == null) {
            return sendCall(method, params, Map.of());
        }
        return Flux.defer(() -> chain.proceed(new RpcClientCall(method, params, RpcClientCall.Kind.CALL))).next();
    }

    private Mono<RawJson> sendCall(String method, @Nullable Object params, Map<String, String> metadata) {
        return Mono.defer(() -> {
            RpcId id = nextId();
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
    public Mono<Void> notify(String method, @Nullable Object params) {
        if (chain == null) {
            return sendNotification(method, params, Map.of());
        }
        return Flux.defer(() -> chain.proceed(new RpcClientCall(method, params, RpcClientCall.Kind.NOTIFICATION)))
                .then();
    }

    private Mono<Void> sendNotification(String method, @Nullable Object params, Map<String, String> metadata) {
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
    public <T> Flux<T> stream(String method, @Nullable Object params, Class<T> itemType) {
        return stream(method, params, codec.mapper().constructType(itemType));
    }

    /** Calls a method that returns a stream, binding each item to a generic type; as above. */
    @Override
    public <T> Flux<T> stream(String method, @Nullable Object params, tools.jackson.databind.JavaType itemType) {
        if (chain == null) {
            return sendStream(method, params, itemType, Map.of());
        }
        return Flux.defer(() -> chain.proceed(new RpcClientCall(method, params, RpcClientCall.Kind.STREAM)))
                .map(raw -> this.<T>bind(raw, itemType));
    }

    private <T> Flux<T> sendStream(String method, @Nullable Object params, tools.jackson.databind.JavaType itemType,
                                   Map<String, String> metadata) {
        return Flux.defer(() -> {
            RpcId id = nextId();
            byte[] body = codec.encodeRequest(id, method, params);
            NdjsonReader reader = new NdjsonReader(settings.maxResponseBytes, codec);
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
        Settings c = settings;
        return new HttpExchange(c.http, c.token == null ? c.uri : withoutToken(c.uri), c.headers, c.token,
                c.maxResponseBytes, c.wireTap);
    }

    /** The codec (package use: batches). */
    RpcCodec codecUsed() {
        return codec;
    }

    /** A fresh request id (package use: batches). */
    RpcId nextId() {
        return RpcId.of(settings.ids.incrementAndGet());
    }

    /** The timeout (package use: batches). */
    Duration timeoutUsed() {
        return timeout;
    }

    /** {@code uri} without its {@code token} query parameter(s): the token goes in the header instead. */
    static URI withoutToken(URI uri) {
        String q = uri.getRawQuery();
        if (q == null) {
            return uri;
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (!BearerTokenAuthenticator.QUERY_PARAM.equals(key)) {
                kept.append(kept.length() == 0 ? "" : "&").append(pair);
            }
        }
        String s = uri.toString();
        int at = s.indexOf('?');
        int hash = s.indexOf('#', at);
        return URI.create(s.substring(0, at) + (kept.length() == 0 ? "" : "?" + kept)
                + (hash < 0 ? "" : s.substring(hash)));
    }

    private HttpRpcClient with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new HttpRpcClient(copy);
    }

    /** Every option with its default; copied once per change (the request ids stay shared). */
    private static final class Settings implements Cloneable {
        final URI uri;
        HttpClient http = HttpClient.create(POOL);
        Map<String, String> headers = Map.of();
        @Nullable String token;
        Duration timeout = DEFAULT_TIMEOUT;
        int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        RpcCodec codec = RpcCodec.defaults();
        final AtomicLong ids = new AtomicLong();
        List<RpcClientFilter> filters = List.of();       // immutable: filter(..) replaces it with a longer copy
        @Nullable RpcWireTap wireTap;

        Settings(URI uri, @Nullable String token) {
            this.uri = uri;
            this.token = token;
        }

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
