package dev.plumb.rpc;

import dev.plumb.rpc.internal.ErrorMapping;
import dev.plumb.rpc.internal.MethodShape;
import dev.plumb.rpc.internal.OpenRpcDiscovery;
import dev.plumb.rpc.openrpc.OpenRpcInfo;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Maps method names to handlers, binds params, runs filters, and answers whole frames (batches included).
 *
 * <pre>{@code
 * record Subtract(int minuend, int subtrahend) {}
 * RpcRouter router = RpcRouter.builder()
 *     .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
 *     .method("ticks", Integer.class, n -> Flux.range(0, n))
 *     .build();
 * }</pre>
 *
 * <p>An unknown method answers -32601, params that do not bind -32602, a failing handler -32603 (details only in
 * the log), and notifications are never answered. Names starting with {@code rpc.} are reserved and cannot be
 * registered; {@link Builder#discovery} adds {@code rpc.discover} (OpenRPC, {@code docs/openrpc.md}). A router is
 * immutable and shared by any number of peers and servers.
 */
public final class RpcRouter {

    private static final Logger LOG = LoggerFactory.getLogger(RpcRouter.class);

    /** Default number of batch members run at once: 16. */
    public static final int DEFAULT_BATCH_CONCURRENCY = 16;

    /** Default largest number of members in one inbound batch: 1000 (Geth's default, too). */
    public static final int DEFAULT_MAX_BATCH_MEMBERS = 1000;

    private final Map<String, RpcHandler> handlers;
    private final Map<String, Class<?>> paramsTypes;
    private final List<RpcFilter> filters;
    private final RpcCodec codec;
    private final int batchConcurrency;
    private final int maxBatchMembers;
    private final Map<String, Scheduler> schedulers;
    private final RpcFilter.Next chain;

    private RpcRouter(Settings b) {
        this.handlers = Map.copyOf(b.handlers);
        this.paramsTypes = Map.copyOf(b.paramsTypes);
        this.filters = List.copyOf(b.filters);
        this.codec = b.codec;
        this.batchConcurrency = b.batchConcurrency;
        this.maxBatchMembers = b.maxBatchMembers;
        this.schedulers = Map.copyOf(b.schedulers);
        RpcFilter.Next next = this::invoke;
        for (int i = filters.size() - 1; i >= 0; i--) {
            RpcFilter f = filters.get(i);
            RpcFilter.Next inner = next;
            next = call -> f.filter(call, inner);
        }
        this.chain = next;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder(new Settings());
    }

    /** A router with no methods: every call answers -32601. */
    public static RpcRouter empty() {
        return builder().build();
    }

    /** The codec params are bound and results written with. */
    public RpcCodec codec() {
        return codec;
    }

    /** Whether {@code method} is registered. */
    public boolean hasMethod(String method) {
        return handlers.containsKey(method);
    }

    /**
     * The params type {@code method} was registered with, or {@code null}: lets a decoder bind params in the same
     * pass as the envelope ({@link RpcCodec#decode(byte[], int, int, java.util.function.Function)}).
     */
    public @Nullable Class<?> paramsType(String method) {
        return paramsTypes.get(method);
    }

    /** Decodes a frame for this router, binding params of registered types in the same pass. */
    public RpcPacket decode(byte[] frame, int offset, int length) {
        return codec.decode(frame, offset, length, paramsTypes.isEmpty() ? null : this::paramsType);
    }

    /** Runs {@code call} through the filters and its handler. Errors come as {@link RpcErrorException} or others. */
    public Mono<RpcReply> dispatch(RpcCall call) {
        return Mono.defer(() -> chain.proceed(call));
    }

    private Mono<RpcReply> invoke(RpcCall call) {
        RpcHandler handler = handlers.get(call.method());
        if (handler == null) {
            return Mono.error(new RpcErrorException(RpcError.methodNotFound()));
        }
        return toReply(handler.handle(call));
    }

    private static Mono<RpcReply> toReply(Publisher<?> out) {
        if (out == null) {
            return Mono.just(RpcReply.value(null));
        }
        if (out instanceof Flux<?> flux) {
            return Mono.just(RpcReply.stream(flux));
        }
        return Mono.from(out).<RpcReply>map(RpcReply::value).defaultIfEmpty(RpcReply.value(null));
    }

    /** Builds the call for {@code message} (a request or notification). */
    public RpcCall callOf(RpcMessage message) {
        if (message instanceof RpcRequest r) {
            return new RpcCall(r.method(), new RpcParams(r.params(), codec), r.id());
        }
        RpcNotification n = (RpcNotification) message;
        return new RpcCall(n.method(), new RpcParams(n.params(), codec), null);
    }

    /**
     * Answers one frame: the encoded response, a batch array, or empty when nothing is to be sent (notifications,
     * responses). Streams are collected into arrays. This is what stateless transports such as HTTP use.
     */
    public Mono<byte[]> respond(byte[] frame) {
        return respond(decode(frame, 0, frame.length));
    }

    /** Answers a decoded packet; see {@link #respond(byte[])}. */
    public Mono<byte[]> respond(RpcPacket packet) {
        if (packet instanceof RpcBatch batch) {
            if (batch.members().size() > maxBatchMembers) {
                return Mono.just(batchTooLarge(batch));
            }
            return Flux.fromIterable(batch.members())
                    .flatMapSequential(this::respondOne, batchConcurrency)
                    .collectList()
                    .flatMap(list -> list.isEmpty() ? Mono.empty() : Mono.just(codec.encodeBatch(list)));
        }
        return respondOne(packet);
    }

    /**
     * Answers a batch as the pieces of its JSON array, each given as soon as it and those before it are ready, in
     * member order: the first response with {@code [} before it, each next one with {@code ,} before it, then a
     * last piece {@code ]}. Empty when the batch held only notifications; one piece, the single -32600 error, for a
     * batch over {@link #maxBatchMembers}. Unlike {@link #respond(RpcPacket)}, the responses are never all held
     * at once (at most {@link Builder#batchConcurrency} run ahead of the one being given): a transport that can
     * send a body in chunks, such as HTTP, sends each piece as it comes.
     */
    public Flux<byte[]> respondInPieces(RpcBatch batch) {
        if (batch.members().size() > maxBatchMembers) {
            return Flux.just(batchTooLarge(batch));
        }
        return Flux.defer(() -> {
            boolean[] first = {true};
            return Flux.fromIterable(batch.members())
                    .flatMapSequential(this::respondOne, batchConcurrency)
                    .map(reply -> {
                        byte[] piece = new byte[reply.length + 1];
                        piece[0] = (byte) (first[0] ? '[' : ',');
                        first[0] = false;
                        System.arraycopy(reply, 0, piece, 1, reply.length);
                        return piece;
                    })
                    .concatWith(Flux.defer(() -> first[0] ? Flux.empty() : Flux.just(new byte[] {']'})));
        });
    }

    /** The one error a batch over the member limit gets (a single response, as for any invalid batch). */
    byte[] batchTooLarge(RpcBatch batch) {
        return codec.encodeError(RpcId.NULL, RpcError.invalidRequest("a batch of " + batch.members().size()
                + " members is over this server's limit of " + maxBatchMembers));
    }

    /** The largest number of members an inbound batch may have. */
    public int maxBatchMembers() {
        return maxBatchMembers;
    }

    /** The scheduler {@code method}'s handler runs on ({@link Builder#runOn}), or {@code null} for the caller's. */
    public @Nullable Scheduler schedulerOf(String method) {
        return schedulers.isEmpty() ? null : schedulers.get(method);
    }

    private Mono<byte[]> respondOne(RpcPacket packet) {
        if (packet instanceof RpcInvalid invalid) {
            return invalid.looksLikeResponse() ? Mono.empty()
                    : Mono.just(codec.encodeError(invalid.id(), invalid.error()));
        }
        if (packet instanceof RpcRequest request) {
            return answer(callOf(request));
        }
        if (packet instanceof RpcNotification notification) {
            return runNotification(callOf(notification)).then(Mono.empty());
        }
        return Mono.empty(); // a response: nothing to answer
    }

    /**
     * Runs a request and encodes its response (streams collected into an array); on the method's own scheduler
     * when it has one ({@link Builder#runOn}).
     */
    public Mono<byte[]> answer(RpcCall call) {
        Mono<byte[]> reply = filters.isEmpty() ? Mono.defer(() -> asMono(answerNow(call)))
                : encodeReply(call, dispatch(call));
        Scheduler scheduler = schedulerOf(call.method());
        return scheduler == null ? reply : reply.subscribeOn(scheduler);
    }

    @SuppressWarnings("unchecked")
    private static Mono<byte[]> asMono(Object answer) {
        return answer instanceof byte[] frame ? Mono.just(frame) : (Mono<byte[]>) answer;
    }

    /**
     * Starts answering {@code call}, which runs with {@code context}, on this thread: the encoded response when the
     * handler answered at once (a value already there), else a {@code Mono} of it to subscribe to. Calls with their
     * own scheduler, or with a filter that does not {@linkplain RpcFilter#skips skip} them, always give the
     * {@code Mono}. Never throws: a failing handler gives its error response.
     */
    Object start(RpcCall call, reactor.util.context.ContextView context) {
        if (schedulerOf(call.method()) != null || !filters.isEmpty() && !allSkip(call, context)) {
            return answer(call);
        }
        return answerNow(call);
    }

    private boolean allSkip(RpcCall call, reactor.util.context.ContextView context) {
        for (RpcFilter f : filters) {
            if (!f.skips(call, context)) {
                return false;
            }
        }
        return true;
    }

    /** Calls the handler now; a value already there is encoded without operators (no filters here). */
    private Object answerNow(RpcCall call) {
        RpcHandler handler = handlers.get(call.method());
        if (handler == null) {
            return codec.encodeError(call.id(), RpcError.methodNotFound());
        }
        Publisher<?> out;
        try {
            out = handler.handle(call);
        } catch (RuntimeException e) {
            return codec.encodeError(call.id(), ErrorMapping.toError(call.method(), e));
        }
        if (out instanceof Mono<?> && out instanceof Fuseable.ScalarCallable<?> scalar) {
            try {
                return codec.encodeResult(call.id(), scalar.call());
            } catch (Exception e) {
                return codec.encodeError(call.id(), ErrorMapping.toError(call.method(), Exceptions.unwrap(e)));
            }
        }
        return encodeReply(call, toReply(out));
    }

    private Mono<byte[]> encodeReply(RpcCall call, Mono<RpcReply> replies) {
        RpcId id = call.id();
        return replies
                .flatMap(reply -> reply instanceof RpcReply.Stream s
                        ? s.items().collectList().<Object>map(l -> l)
                        : Mono.justOrEmpty(((RpcReply.Value) reply).value()))
                .map(value -> codec.encodeResult(id, value))
                .switchIfEmpty(Mono.fromSupplier(() -> codec.encodeResult(id, null)))
                .onErrorResume(e -> Mono.just(codec.encodeError(id, ErrorMapping.toError(call.method(), e))));
    }

    /** The wire error for a handler's failure: its {@link RpcErrorException}'s error, else -32603 (logged). */
    public static RpcError errorFor(String method, Throwable failure) {
        return ErrorMapping.toError(method, failure);
    }

    /** Runs a notification (on the method's own scheduler, if any); its outcome is only logged, never answered. */
    public Mono<Void> runNotification(RpcCall call) {
        Scheduler scheduler = schedulerOf(call.method());
        Mono<RpcReply> dispatched = scheduler == null ? dispatch(call) : dispatch(call).subscribeOn(scheduler);
        return dispatched
                .flatMap(reply -> reply instanceof RpcReply.Stream s ? s.items().then() : Mono.<Void>empty())
                .onErrorResume(e -> {
                    if (e instanceof RpcErrorException re) {
                        LOG.debug("notification '{}' failed: {}", call.method(), re.getMessage());
                    } else {
                        LOG.warn("notification '{}' failed", call.method(), e);
                    }
                    return Mono.empty();
                })
                .then();
    }

    /**
     * Builds an immutable {@link RpcRouter}. Immutable itself: each method returns a new builder, so use the value
     * it returns ({@code b = b.method(…)}).
     */
    public static final class Builder {
        private final Settings settings;

        private Builder(Settings settings) {
            this.settings = settings;
        }

        /** Registers a handler that sees the whole call. Default: no methods. */
        public Builder handler(String method, RpcHandler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            return with(s -> s.register(method, handler, MethodShape.raw(method)));
        }

        /**
         * Registers a method whose params are bound to {@code paramsType}: a record binds positional params in
         * component order and named params by name; other types are bound by Jackson. Default: no methods.
         */
        public <P> Builder method(String method, Class<P> paramsType, Function<? super P, ? extends Publisher<?>> fn) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(paramsType, "paramsType");
            Objects.requireNonNull(fn, "fn");
            return with(s -> {
                s.register(method, call -> fn.apply(call.params().as(paramsType)),
                        MethodShape.paramsType(method, paramsType));
                s.paramsTypes.put(method, paramsType);
            });
        }

        /**
         * Registers a method that uses no params: whatever params a call carries are ignored, not refused, so
         * protocols that add members to every request (MCP's {@code _meta}, a pagination {@code cursor}) still
         * reach it. A method that must refuse params takes the whole call ({@link #handler}) and checks them.
         * Default: no methods.
         */
        public Builder method(String method, Supplier<? extends Publisher<?>> fn) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(fn, "fn");
            return with(s -> s.register(method, call -> fn.get(), MethodShape.noParams(method)));
        }

        /**
         * Registers every method of every {@link RpcService} interface {@code impl} implements: requests for
         * {@code Mono} results, streams for {@code Flux}, notifications for {@code void}. A bad signature fails
         * {@link #build()}, naming the method. Default: no services.
         */
        public Builder service(Object impl) {
            Objects.requireNonNull(impl, "impl");
            List<Class<?>> apis = dev.plumb.rpc.internal.ServiceModel.servicesOf(impl.getClass());
            if (apis.isEmpty()) {
                throw new IllegalArgumentException(impl.getClass().getName()
                        + " implements no @RpcService interface; use service(api, impl) to name one");
            }
            return with(s -> {
                for (Class<?> api : apis) {
                    s.services.add(Map.entry(api, impl));
                }
            });
        }

        /**
         * Registers the methods of the service interface {@code api} (annotated or not), run by {@code impl}.
         * Default: no services.
         */
        public <T> Builder service(Class<T> api, T impl) {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(impl, "impl");
            return with(s -> s.services.add(Map.entry(api, impl)));
        }

        /**
         * Turns on OpenRPC service discovery: registers {@code rpc.discover}, which answers an OpenRPC 1.3 document
         * describing every method of the router (in registration order, a service's methods by name;
         * {@code rpc.discover} itself is not listed) with JSON Schemas derived from their Java types. Typed services
         * are described fully; a method registered with a params type has its params described and an open result;
         * a plain {@code handler} is listed with no params until {@link #describe} says more. The document is generated on the first call and kept. Filters
         * see {@code rpc.discover} like any method. Default: off (no {@code rpc.discover}). See
         * {@code docs/openrpc.md}.
         */
        public Builder discovery(OpenRpcInfo info) {
            Objects.requireNonNull(info, "info");
            return with(s -> s.discovery = info);
        }

        /**
         * Attaches hand-written OpenRPC metadata to {@code method} (summary, description, params, result, errors,
         * examples), laid over what discovery generates; see {@link OpenRpcMethodDoc} for what replaces and what
         * adds. Only used when {@link #discovery} is on. {@link #build()} fails if {@code method} is not registered
         * by then. Describing a method again replaces the earlier doc. Default: none, generated docs only.
         */
        public Builder describe(String method, OpenRpcMethodDoc doc) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(doc, "doc");
            return with(s -> s.docs.put(method, doc));
        }

        /** Adds a filter; filters run in the order added, the first outermost. Default: no filters. */
        public Builder filter(RpcFilter filter) {
            Objects.requireNonNull(filter, "filter");
            return with(s -> s.filters.add(filter));
        }

        /** The codec for binding and writing values; default {@link RpcCodec#defaults()}. */
        public Builder codec(RpcCodec codec) {
            Objects.requireNonNull(codec, "codec");
            return with(s -> s.codec = codec);
        }

        /** How many members of one batch run at once; default {@value #DEFAULT_BATCH_CONCURRENCY}. */
        public Builder batchConcurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("batchConcurrency must be at least 1");
            }
            return with(s -> s.batchConcurrency = n);
        }

        /**
         * The largest number of members one inbound batch may have; a larger batch is answered with one -32600
         * error and none of its members runs. Default {@value #DEFAULT_MAX_BATCH_MEMBERS}.
         */
        public Builder maxBatchMembers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBatchMembers must be at least 1");
            }
            return with(s -> s.maxBatchMembers = n);
        }

        /**
         * Runs {@code method}'s handler on {@code scheduler} instead of the thread that read the message: for
         * handlers that block (use {@link reactor.core.scheduler.Schedulers#boundedElastic()}) or burn CPU. The
         * consequence for order: such a call still starts after every message that arrived before it, but the
         * messages after it no longer wait for it to start, so they may start (and finish) first. Default: no
         * method has its own scheduler; every handler starts in arrival order (see {@code docs/flow-control.md}).
         */
        public Builder runOn(String method, Scheduler scheduler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(scheduler, "scheduler");
            return with(s -> s.schedulers.put(method, scheduler));
        }

        /** The router; the builder stays usable (building again gives another router). */
        public RpcRouter build() {
            Settings b = settings.copy();
            for (Map.Entry<Class<?>, Object> s : b.services) {
                List<dev.plumb.rpc.internal.ServiceMethod> methods =
                        new ArrayList<>(dev.plumb.rpc.internal.ServiceModel.of(s.getKey()));
                methods.sort(java.util.Comparator.comparing(dev.plumb.rpc.internal.ServiceMethod::wireName));
                for (dev.plumb.rpc.internal.ServiceMethod m : methods) { // by name: reflection has no stable order
                    dev.plumb.rpc.internal.ServiceHandler h =
                            new dev.plumb.rpc.internal.ServiceHandler(m, s.getValue(), b.codec);
                    b.register(m.wireName(), h, MethodShape.service(m));
                    if (h.paramsType() != null) {
                        b.paramsTypes.put(m.wireName(), h.paramsType());
                    }
                }
            }
            for (String method : b.schedulers.keySet()) {
                if (!b.handlers.containsKey(method)) {
                    throw new IllegalStateException("runOn names '" + method + "', which has no handler");
                }
            }
            for (String method : b.docs.keySet()) {
                if (!b.shapes.containsKey(method)) {
                    throw new IllegalStateException("describe names '" + method + "', which has no handler");
                }
            }
            OpenRpcInfo discovery = b.discovery;
            if (discovery != null) {
                b.handlers.put(OpenRpcDiscovery.METHOD,
                        new OpenRpcDiscovery(discovery, List.copyOf(b.shapes.values()), b.docs, b.codec));
            }
            return new RpcRouter(b);
        }

        private Builder with(Consumer<Settings> change) {
            Settings copy = settings.copy();
            change.accept(copy);
            return new Builder(copy);
        }
    }

    /** Every option of a {@link Builder} with its default; copied once per change, collections included. */
    private static final class Settings implements Cloneable {
        HashMap<String, RpcHandler> handlers = new HashMap<>();
        LinkedHashMap<String, MethodShape> shapes = new LinkedHashMap<>();
        HashMap<String, OpenRpcMethodDoc> docs = new HashMap<>();
        @Nullable OpenRpcInfo discovery;
        HashMap<String, Class<?>> paramsTypes = new HashMap<>();
        ArrayList<RpcFilter> filters = new ArrayList<>();
        RpcCodec codec = RpcCodec.defaults();
        int batchConcurrency = DEFAULT_BATCH_CONCURRENCY;
        int maxBatchMembers = DEFAULT_MAX_BATCH_MEMBERS;
        HashMap<String, Scheduler> schedulers = new HashMap<>();
        ArrayList<Map.Entry<Class<?>, Object>> services = new ArrayList<>();

        /** Adds {@code method}; refuses reserved and duplicate names. */
        void register(String method, RpcHandler handler, MethodShape shape) {
            if (method.startsWith("rpc.")) {
                throw new IllegalArgumentException("method names starting with 'rpc.' are reserved: " + method);
            }
            if (handlers.putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException("method already registered: " + method);
            }
            shapes.put(method, shape);
        }

        Settings copy() {
            try {
                Settings c = (Settings) super.clone();
                c.handlers = new HashMap<>(handlers);
                c.shapes = new LinkedHashMap<>(shapes);
                c.docs = new HashMap<>(docs);
                c.paramsTypes = new HashMap<>(paramsTypes);
                c.filters = new ArrayList<>(filters);
                c.schedulers = new HashMap<>(schedulers);
                c.services = new ArrayList<>(services);
                return c;
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
