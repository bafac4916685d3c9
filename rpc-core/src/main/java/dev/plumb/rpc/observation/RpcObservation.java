package dev.plumb.rpc.observation;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcClientCall;
import dev.plumb.rpc.RpcClientFilter;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcFilter;
import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcReply;
import dev.plumb.rpc.RpcTimeoutException;
import dev.plumb.rpc.internal.CallSentListener;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.ContextView;

/**
 * One Micrometer {@link Observation} per call, on both sides: {@link #serverFilter} for a router's inbound calls
 * and {@link #clientFilter} for a peer's or HTTP client's outgoing ones.
 *
 * <pre>{@code
 * RpcRouter router = RpcRouter.builder().filter(RpcObservation.serverFilter(registry))…build();
 * RpcPeer peer = RpcPeer.builder(connection).filter(RpcObservation.clientFilter(registry))…connect();
 * }</pre>
 *
 * <p>Observations are named {@value #SERVER} and {@value #CLIENT}; their low-cardinality keys are
 * {@value #METHOD}, {@value #SIDE} ({@code server}/{@code client}), {@value #OUTCOME} ({@code SUCCESS},
 * {@code ERROR}, {@code TIMEOUT}, {@code CANCELLED}) and {@value #ERROR_CODE} (the JSON-RPC error code, or
 * {@code none}). A client call waiting in the peer's queue (for a slot under {@code maxConcurrentCalls}, or for room
 * in the outbound queue) has a nested observation {@value #CLIENT_RUNNING} from the moment its request goes out:
 * the difference is its time queued. A stream's observation ends when the stream ends.
 *
 * <p>Each observation is put in the Reactor context under Micrometer's key, so nested calls from a handler are its
 * children, and a tracing handler (Micrometer Tracing) propagates the trace through the call's
 * {@linkplain RpcMetadata metadata}: headers over HTTP, the {@value RpcMetadata#MEMBER} member over stream
 * transports. With a no-op registry the filters pass calls through untouched (the server filter
 * {@linkplain RpcFilter#skips skips}), so an application can leave them installed.
 */
public final class RpcObservation {

    /** The name of inbound call observations: {@value}. */
    public static final String SERVER = "plumb.rpc.server";
    /** The name of outgoing call observations: {@value}. */
    public static final String CLIENT = "plumb.rpc.client";
    /** The name of the nested observation of an outgoing call from its request going out: {@value}. */
    public static final String CLIENT_RUNNING = "plumb.rpc.client.running";
    /** Key: the JSON-RPC method. */
    public static final String METHOD = "rpc.method";
    /** Key: {@code server} or {@code client}. */
    public static final String SIDE = "rpc.side";
    /** Key: how the call ended. */
    public static final String OUTCOME = "rpc.outcome";
    /** Key: the JSON-RPC error code of a failed call, or {@code none}. */
    public static final String ERROR_CODE = "rpc.jsonrpc.error_code";
    /** Key: {@code jsonrpc}, as OpenTelemetry's {@code rpc.system}. */
    public static final String SYSTEM = "rpc.system";

    /** Micrometer's key of the current observation in a Reactor context. */
    static final String OBSERVATION_KEY = "micrometer.observation";

    private RpcObservation() {
    }

    /** A filter observing each inbound call of a router; add it first to cover the other filters too. */
    public static RpcFilter serverFilter(ObservationRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new RpcFilter() {
            @Override
            public Mono<RpcReply> filter(RpcCall call, Next next) {
                if (registry.isNoop()) {
                    return next.proceed(call);
                }
                return Mono.deferContextual(ctx -> observeServer(registry, call, next, ctx));
            }

            @Override
            public boolean skips(RpcCall call, ContextView context) {
                return registry.isNoop();
            }
        };
    }

    private static Mono<RpcReply> observeServer(ObservationRegistry registry, RpcCall call, RpcFilter.Next next,
                                                ContextView ctx) {
        Map<String, String> metadata = RpcMetadata.of(ctx);
        RpcServerObservationContext context = new RpcServerObservationContext(call, metadata);
        Observation observation = Observation.createNotStarted(SERVER, () -> context, registry)
                .lowCardinalityKeyValue(METHOD, call.method())
                .lowCardinalityKeyValue(SIDE, "server")
                .lowCardinalityKeyValue(SYSTEM, "jsonrpc")
                .parentObservation(parentOf(ctx))
                .start();
        Ending ending = new Ending(observation);
        return next.proceed(call)
                .map(reply -> {
                    if (reply instanceof RpcReply.Stream s) {
                        return RpcReply.stream(s.items()
                                .doOnComplete(() -> ending.end(SignalType.ON_COMPLETE, null))
                                .doOnError(e -> ending.end(SignalType.ON_ERROR, e))
                                .doOnCancel(() -> ending.end(SignalType.CANCEL, null)));
                    }
                    context.setResponse(reply);
                    ending.end(SignalType.ON_COMPLETE, null);
                    return reply;
                })
                .doOnError(e -> ending.end(SignalType.ON_ERROR, e))
                .doOnCancel(() -> ending.end(SignalType.CANCEL, null))
                .doOnSuccess(reply -> {
                    if (reply == null) {
                        ending.end(SignalType.ON_COMPLETE, null);
                    }
                })
                .contextWrite(c -> c.put(OBSERVATION_KEY, observation));
    }

    /** A filter observing each outgoing call of a peer or HTTP client. */
    public static RpcClientFilter clientFilter(ObservationRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return new RpcClientFilter() {
            @Override
            public Flux<RawJson> filter(RpcClientCall call, Next next) {
                if (registry.isNoop()) {
                    return next.proceed(call);
                }
                return Flux.deferContextual(ctx -> observeClient(registry, call, next, ctx));
            }

            @Override
            public boolean skips(RpcClientCall call) {
                return registry.isNoop();
            }
        };
    }

    private static Flux<RawJson> observeClient(ObservationRegistry registry, RpcClientCall call,
                                               RpcClientFilter.Next next, ContextView ctx) {
        RpcClientObservationContext context = new RpcClientObservationContext(call);
        Observation observation = Observation.createNotStarted(CLIENT, () -> context, registry)
                .lowCardinalityKeyValue(METHOD, call.method())
                .lowCardinalityKeyValue(SIDE, "client")
                .lowCardinalityKeyValue(SYSTEM, "jsonrpc")
                .parentObservation(parentOf(ctx))
                .start();
        // a tracing handler has now written the trace context into the carrier: it goes with the call
        RpcClientCall sent = call;
        for (Map.Entry<String, String> e : context.getCarrier().entrySet()) {
            sent = sent.withMetadata(e.getKey(), e.getValue());
        }
        Ending ending = new Ending(observation);
        CallSentListener onSent = () -> ending.running = Observation.createNotStarted(CLIENT_RUNNING, registry)
                .lowCardinalityKeyValue(METHOD, call.method())
                .lowCardinalityKeyValue(SIDE, "client")
                .parentObservation(observation)
                .start();
        boolean single = call.kind() == RpcClientCall.Kind.CALL;
        return next.proceed(sent)
                .doOnNext(raw -> {
                    context.setResponse(raw);
                    if (single) {
                        ending.end(SignalType.ON_COMPLETE, null); // the caller takes this one and cancels
                    }
                })
                .doOnComplete(() -> ending.end(SignalType.ON_COMPLETE, null))
                .doOnError(e -> ending.end(SignalType.ON_ERROR, e))
                .doOnCancel(() -> ending.end(SignalType.CANCEL, null))
                .contextWrite(c -> c.put(OBSERVATION_KEY, observation).put(CallSentListener.class, onSent));
    }

    private static Observation parentOf(ContextView ctx) {
        Object parent = ctx.getOrDefault(OBSERVATION_KEY, null);
        return parent instanceof Observation o ? o : null;
    }

    /** Stops an observation once, with the keys of how the call ended. */
    private static final class Ending {
        private final Observation observation;
        private final AtomicBoolean done = new AtomicBoolean();
        volatile Observation running;

        Ending(Observation observation) {
            this.observation = observation;
        }

        void end(SignalType signal, Throwable e) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            String outcome;
            String code = "none";
            if (signal == SignalType.CANCEL) {
                outcome = "CANCELLED";
            } else if (signal == SignalType.ON_ERROR || e != null) {
                outcome = e instanceof RpcTimeoutException ? "TIMEOUT" : "ERROR";
                if (e instanceof RpcErrorException re) {
                    code = Integer.toString(re.error().code());
                } else if (!(e instanceof RpcTimeoutException) && observation.getContext()
                        instanceof RpcServerObservationContext) {
                    code = "-32603"; // what the router answers for any other failure
                }
                if (e != null) {
                    observation.error(e);
                }
            } else {
                outcome = "SUCCESS";
            }
            observation.lowCardinalityKeyValue(OUTCOME, outcome).lowCardinalityKeyValue(ERROR_CODE, code);
            Observation r = running;
            if (r != null) {
                r.lowCardinalityKeyValue(OUTCOME, outcome).lowCardinalityKeyValue(ERROR_CODE, code);
                if (e != null) {
                    r.error(e);
                }
                r.stop();
            }
            observation.stop();
        }
    }
}
