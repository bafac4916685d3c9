package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.RpcBatch;
import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcReply;
import dev.plumb.rpc.RpcRequest;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcWireTap;
import dev.plumb.rpc.web.HttpRpcOptions;
import dev.plumb.rpc.web.RpcAuthRequest;
import dev.plumb.rpc.web.RpcAuthenticator;
import dev.plumb.rpc.web.RpcPrincipal;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * The HTTP mapping of JSON-RPC, shared by the reactor-netty route and the WebFlux adapter: which requests are
 * admitted (405, 400, 401, 415, 413, 408) and how a body is answered (200 JSON, 204, or a 200 ndjson stream).
 */
public final class HttpRpcService {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRpcService.class);

    /** The message of the 400 refusal of credentials given more than once or in more than one place. */
    public static final String AMBIGUOUS_CREDENTIALS = "Invalid Request: credentials given more than once";

    /** The {@code WWW-Authenticate} value of that refusal (RFC 6750 §3.1). */
    public static final String INVALID_REQUEST_CHALLENGE = "Bearer error=\"invalid_request\"";

    /** The content type of JSON replies. */
    public static final String JSON = "application/json";

    private static final byte[] UNAUTHORIZED_BODY = RpcCodec.defaults().encodeError(RpcId.NULL,
            new RpcError(RpcError.UNAUTHORIZED, "Unauthorized"));
    private static final byte[] AMBIGUOUS_CREDENTIALS_BODY = RpcCodec.defaults().encodeError(RpcId.NULL,
            new RpcError(RpcError.INVALID_REQUEST, AMBIGUOUS_CREDENTIALS));

    private final RpcRouter router;
    private final RpcCodec codec;
    private final HttpRpcOptions options;
    private final boolean immediate;

    /** Serves {@code router} with {@code options}. */
    public HttpRpcService(RpcRouter router, HttpRpcOptions options) {
        this.router = Objects.requireNonNull(router, "router");
        this.codec = router.codec();
        this.options = Objects.requireNonNull(options, "options");
        this.immediate = options.handlerScheduler() == Schedulers.immediate();
    }

    /** The options served with. */
    public HttpRpcOptions options() {
        return options;
    }

    /**
     * The outcome of the checks made before the body is read.
     *
     * @param refusal   the reply to send instead of reading the body, or {@code null} to go on
     * @param principal the authenticated principal, or {@code null} without an authenticator
     */
    public record Admission(HttpReply refusal, RpcPrincipal principal) {
        static final Admission OPEN = new Admission(null, null);
    }

    /**
     * Checks method, credentials, content type and announced length, in that order.
     *
     * @param method        the HTTP method
     * @param contentType   the {@code Content-Type} header or {@code null}
     * @param contentLength the announced length, or -1 when not announced (chunked)
     * @param request       what the authenticator sees
     */
    public Mono<Admission> admit(String method, String contentType, long contentLength, RpcAuthRequest request) {
        Admission quick = admitWithoutAuthenticator(method, contentType, contentLength);
        if (quick != null) {
            return Mono.just(quick);
        }
        if (request.hasAmbiguousCredentials()) {
            return Mono.just(new Admission(ambiguousCredentials(), null));
        }
        return authenticate(options.authenticator(), request)
                .map(p -> {
                    HttpReply r = checkBody(contentType, contentLength);
                    return new Admission(r, p);
                })
                .defaultIfEmpty(new Admission(unauthorized(), null));
    }

    /**
     * The admission when it can be decided without the authenticator (no authenticator configured, or a wrong
     * method), else {@code null}: then {@link #admit} must be used.
     */
    public Admission admitWithoutAuthenticator(String method, String contentType, long contentLength) {
        if (!"POST".equals(method)) {
            return new Admission(methodNotAllowed(), null);
        }
        if (options.authenticator() != null) {
            return null;
        }
        HttpReply r = checkBody(contentType, contentLength);
        return r == null ? Admission.OPEN : new Admission(r, null);
    }

    /** Runs {@code authenticator}; an error counts as a refusal. */
    public static Mono<RpcPrincipal> authenticate(RpcAuthenticator authenticator, RpcAuthRequest request) {
        return Mono.defer(() -> authenticator.authenticate(request))
                .onErrorResume(e -> {
                    LOG.warn("authenticator failed; refusing the request", e);
                    return Mono.empty();
                });
    }

    private HttpReply checkBody(String contentType, long contentLength) {
        if (!isJson(contentType)) {
            return HttpReply.of(415, "text/plain; charset=utf-8",
                    ("JSON-RPC needs Content-Type: application/json, not " + contentType + "\n").getBytes())
                    .withHeader("Accept", JSON).closing();
        }
        if (contentLength > options.maxBodyBytes()) {
            return tooLarge();
        }
        return null;
    }

    /** The {@code 405} reply, with {@code Allow: POST}. */
    public static HttpReply methodNotAllowed() {
        return HttpReply.of(405, "text/plain; charset=utf-8", "JSON-RPC over HTTP needs POST\n".getBytes())
                .withHeader("Allow", "POST").closing();
    }

    /** The {@code 401} reply with the JSON-RPC error -32001. */
    public static HttpReply unauthorized() {
        return HttpReply.of(401, JSON, UNAUTHORIZED_BODY).withHeader("WWW-Authenticate", "Bearer").closing();
    }

    /**
     * The {@code 400} reply to credentials given more than once or in more than one place (RFC 6750 §3.1), with the
     * JSON-RPC error -32600; the connection closes.
     */
    public static HttpReply ambiguousCredentials() {
        return HttpReply.of(400, JSON, AMBIGUOUS_CREDENTIALS_BODY)
                .withHeader("WWW-Authenticate", INVALID_REQUEST_CHALLENGE).closing();
    }

    /**
     * The {@code 408} reply to a body that did not arrive within the server's request read timeout; the connection
     * closes.
     */
    public static HttpReply requestTimeout() {
        return HttpReply.of(408, "text/plain; charset=utf-8",
                "the request body did not arrive in time\n".getBytes()).closing();
    }

    /** The {@code 413} reply; the connection closes since the body was not read. */
    public HttpReply tooLarge() {
        return HttpReply.of(413, "text/plain; charset=utf-8",
                ("request body exceeds " + options.maxBodyBytes() + " bytes\n").getBytes()).closing();
    }

    /**
     * The {@code 413} reply to a body within the limit that the heap could not hold: a JSON-RPC -32603 error
     * saying so. The connection stays open: the body was read to its end (and dropped).
     */
    public HttpReply tooLargeForMemory(long bytes) {
        return HttpReply.of(413, JSON, codec.encodeError(RpcId.NULL,
                outOfMemoryError("reading a request body", bytes, null)));
    }

    /** The -32603 error for work that ran out of heap ({@code what}, about {@code bytes} large), logged. */
    static RpcError outOfMemoryError(String what, long bytes, OutOfMemoryError e) {
        LOG.warn("out of memory {} ({} bytes){}; answering -32603", what, bytes, e == null ? "" : ": " + e);
        return new RpcError(RpcError.INTERNAL_ERROR, "Internal error: out of memory " + what + " (" + bytes
                + " bytes)");
    }

    /**
     * The {@code 500} reply when answering {@code packet} ran out of heap in a way nothing below caught (a handler
     * allocating, say): a JSON-RPC -32603 error with the request's id when there is one ({@code packet} may be
     * null when decoding it failed).
     */
    HttpReply outOfMemory(RpcPacket packet, long bytes, OutOfMemoryError e) {
        RpcId id = packet instanceof RpcRequest r ? r.id() : RpcId.NULL;
        return HttpReply.of(500, JSON, codec.encodeError(id, outOfMemoryError("answering a request", bytes, e)));
    }

    /** Whether {@code contentType} is absent (taken as JSON) or a JSON type ({@code application/json} and the like). */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.equals(JSON) || contentType.isBlank()) {
            return true;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        return t.equals("application/json") || t.endsWith("+json") || t.equals("application/json-rpc")
                || t.equals("application/jsonrequest");
    }

    /** Whether an {@code Accept} header asks for newline-delimited JSON. */
    static boolean acceptsNdjson(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(HttpRpcOptions.NDJSON);
    }

    /**
     * Whether the request target {@code uri} (origin form {@code /path?query}, or absolute form) has exactly
     * {@code path} as its path. Cheaper than parsing a {@link java.net.URI} per request.
     */
    public static boolean pathMatches(String uri, String path) {
        int start = 0;
        if (!uri.startsWith("/")) {
            int scheme = uri.indexOf("://");
            if (scheme < 0) {
                return false;
            }
            start = uri.indexOf('/', scheme + 3);
            if (start < 0) {
                return false;
            }
        }
        int end = uri.length();
        for (int i = start; i < end; i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        if (end - start == path.length() + 1 && uri.charAt(end - 1) == '/') {
            end--; // a trailing slash is tolerated
        }
        return end - start == path.length() && uri.startsWith(path, start);
    }

    /**
     * Answers a body that was admitted like {@link #answer}, but runs the router at once: a reply that is ready
     * when the router returns (handlers answering synchronously on the event loop) comes back as a plain
     * {@link HttpReply}; anything else as a {@code Mono<HttpReply>}. The router sees only the principal in its
     * context, not the caller's.
     *
     * @return an {@link HttpReply} or a {@code Mono<HttpReply>}
     */
    public Object answerEagerly(byte[] body, String accept, RpcPrincipal principal, Map<String, String> metadata) {
        RpcPacket packet = null;
        show(RpcWireTap.Direction.IN, body);
        try {
            packet = codec.decode(body);
            return answerEagerly(packet, accept, callContext(principal, metadata));
        } catch (OutOfMemoryError e) {
            // thrown through Reactor (which rethrows it): answered here rather than by cutting the connection
            return outOfMemory(packet, body.length, e);
        }
    }

    private Object answerEagerly(RpcPacket packet, String accept, Context context) {
        if (!immediate || packet instanceof RpcBatch
                || (options.streaming() && packet instanceof RpcRequest && acceptsNdjson(accept))) {
            return answer(packet, accept, context);
        }
        EagerReply<byte[]> answered = EagerReply.subscribe(router.respond(packet), context);
        if (answered.isDone()) {
            if (answered.error() != null) {
                return Mono.error(answered.error());
            }
            byte[] bytes = answered.value();
            return bytes == null ? HttpReply.empty(204) : HttpReply.of(200, JSON, shown(bytes));
        }
        return answered.later()
                .map(bytes -> HttpReply.of(200, JSON, shown(bytes)))
                .defaultIfEmpty(HttpReply.empty(204));
    }

    /** The context a call runs with: the principal, if any, and the request's headers as its metadata. */
    private static Context callContext(RpcPrincipal principal, Map<String, String> metadata) {
        Context c = principal == null ? Context.empty() : Context.of(RpcPrincipal.CONTEXT_KEY, principal);
        return metadata == null || metadata.isEmpty() ? c : c.put(RpcMetadata.class, metadata);
    }

    private void show(RpcWireTap.Direction direction, byte[] body) {
        RpcWireTap tap = options.wireTap();
        if (tap != null && body.length > 0) {
            try {
                tap.frame("http" + options.path(), direction, body);
            } catch (RuntimeException e) {
                LOG.warn("the wire tap failed", e);
            }
        }
    }

    private byte[] shown(byte[] reply) {
        show(RpcWireTap.Direction.OUT, reply);
        return reply;
    }

    /** Answers a body that was admitted: 200 with JSON, 204 when nothing is to be sent, or a 200 ndjson stream. */
    public Mono<HttpReply> answer(byte[] body, String accept, RpcPrincipal principal, Map<String, String> metadata) {
        RpcPacket packet = null;
        show(RpcWireTap.Direction.IN, body);
        try {
            packet = codec.decode(body);
            return answer(packet, accept, callContext(principal, metadata));
        } catch (OutOfMemoryError e) {
            return Mono.just(outOfMemory(packet, body.length, e));
        }
    }

    private Mono<HttpReply> answer(RpcPacket packet, String accept, Context context) {
        if (options.streaming() && packet instanceof RpcRequest request && acceptsNdjson(accept)) {
            return answerStreaming(request, context);
        }
        Mono<HttpReply> reply;
        if (packet instanceof RpcBatch batch) {
            Flux<byte[]> pieces = router.respondInPieces(batch);
            reply = BatchReply.of(immediate ? pieces : pieces.subscribeOn(options.handlerScheduler()),
                    BatchReply.WHOLE_UP_TO, this::shown);
        } else {
            reply = onHandlerScheduler(router.respond(packet))
                    .map(bytes -> HttpReply.of(200, JSON, shown(bytes)))
                    .defaultIfEmpty(HttpReply.empty(204));
        }
        return context.isEmpty() ? reply : reply.contextWrite(context);
    }

    private Mono<HttpReply> answerStreaming(RpcRequest request, Context context) {
        RpcCall call = router.callOf(request);
        RpcId id = request.id();
        Mono<HttpReply> reply = onHandlerScheduler(router.dispatch(call))
                .map(r -> {
                    if (r instanceof RpcReply.Stream s) {
                        return HttpReply.streamed(200, HttpRpcOptions.NDJSON, lines(call, s.items(), context));
                    }
                    return HttpReply.of(200, JSON, shown(codec.encodeResult(id, ((RpcReply.Value) r).value())));
                })
                .defaultIfEmpty(HttpReply.of(200, JSON, codec.encodeResult(id, null)))
                .onErrorResume(e -> Mono.just(HttpReply.of(200, JSON,
                        shown(codec.encodeError(id, RpcRouter.errorFor(call.method(), e))))));
        return context.isEmpty() ? reply : reply.contextWrite(context);
    }

    /** The ndjson body: one line per item, then a last line with the item count or the error. */
    private Flux<byte[]> lines(RpcCall call, Flux<?> items, Context context) {
        RpcId id = call.id();
        Flux<byte[]> lines = Flux.defer(() -> {
            long[] count = {0};
            return items.map(item -> {
                        count[0]++;
                        return NdjsonLines.line(codec.toRaw(item));
                    })
                    .concatWith(Mono.fromSupplier(() ->
                            NdjsonLines.line(codec.encodeResult(id, Map.of("items", count[0])))))
                    .onErrorResume(e -> Mono.just(NdjsonLines.line(codec.encodeError(id,
                            RpcRouter.errorFor(call.method(), e)))));
        }).doOnNext(line -> show(RpcWireTap.Direction.OUT, line));
        Flux<byte[]> scheduled = immediate ? lines : lines.subscribeOn(options.handlerScheduler(), false);
        return context.isEmpty() ? scheduled : scheduled.contextWrite(context);
    }

    private <T> Mono<T> onHandlerScheduler(Mono<T> work) {
        return immediate ? work : work.subscribeOn(options.handlerScheduler());
    }
}
