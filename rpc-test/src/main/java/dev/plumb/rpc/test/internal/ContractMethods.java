package dev.plumb.rpc.test.internal;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * The methods {@code TransportContract}'s server answers, and the one its client answers. Server methods:
 * {@code echo} (params back), {@code sleep [ms, token]} (records a cancel of {@code token}), {@code wasCancelled
 * [token]} (true once that sleep was cancelled, false after 10 s), {@code remember [token, value]} (a notification)
 * and {@code recall [token]}, {@code ticks [n]} (a stream of {@code {"i": i, "outstanding": k}}, where {@code k} is
 * the source's requested-minus-emitted count as item {@code i} is emitted, this item included), {@code callBack [x]}
 * (calls the client's {@code client.echo [x]} and answers its result) and {@code closeAfter [ms]} (closes the
 * connection from the server's side that much later).
 */
public final class ContractMethods {

    /** How long any one step of the contract may take. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private ContractMethods() {
    }

    /** {@code sleep}'s params. */
    record Sleep(long ms, String token) {
    }

    /** {@code remember}'s params. */
    record Remember(String token, JsonNode value) {
    }

    /** One item of {@code ticks}. */
    record Tick(int i, long outstanding) {
    }

    /** A new server router; its state (cancels seen, values remembered) is its own. */
    public static RpcRouter serverRouter() {
        Map<String, Sinks.Empty<Void>> cancels = new ConcurrentHashMap<>();
        Map<String, JsonNode> remembered = new ConcurrentHashMap<>();
        return RpcRouter.builder()
                .handler("echo", call -> Mono.justOrEmpty(call.params().raw()))
                .method("sleep", Sleep.class, p -> Mono.delay(Duration.ofMillis(p.ms())).thenReturn(p.ms())
                        .doOnCancel(() -> cancelSink(cancels, p.token()).tryEmitEmpty()))
                .method("wasCancelled", String[].class, token -> cancelSink(cancels, token[0]).asMono()
                        .thenReturn(true).timeout(Duration.ofSeconds(10), Mono.just(false))
                        .doFinally(s -> cancels.remove(token[0])))
                .method("remember", Remember.class, p -> {
                    remembered.put(p.token(), p.value());
                    return Mono.empty();
                })
                .method("recall", String[].class, token -> Mono.justOrEmpty(remembered.remove(token[0])))
                .method("ticks", int[].class, n -> Flux.defer(() -> {
                    AtomicLong requested = new AtomicLong();
                    AtomicLong emitted = new AtomicLong();
                    return Flux.range(0, n[0])
                            .doOnRequest(r -> requested.accumulateAndGet(r, Operators::addCap))
                            .map(i -> new Tick(i, requested.get() - emitted.getAndIncrement()));
                }))
                .method("callBack", JsonNode[].class, x -> RpcPeer.current()
                        .flatMap(client -> client.call("client.echo", List.of(x[0]))))
                .method("closeAfter", long[].class, ms -> RpcPeer.current().doOnNext(peer -> Mono
                        .delay(Duration.ofMillis(ms[0])).subscribe(t -> peer.dispose())).thenReturn(true))
                .build();
    }

    private static Sinks.Empty<Void> cancelSink(Map<String, Sinks.Empty<Void>> cancels, String token) {
        return cancels.computeIfAbsent(token, t -> Sinks.empty());
    }

    /** The client's router: {@code client.echo} answers its params. */
    public static RpcRouter clientRouter() {
        return RpcRouter.builder().handler("client.echo", call -> Mono.justOrEmpty(call.params().raw())).build();
    }
}
