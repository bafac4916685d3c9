package dev.plumb.bench.core;

import dev.plumb.bench.core.SampleMessages.ClaimParams;
import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A full call between two {@link RpcPeer}s over {@link InMemoryTransport#pair()}: the client encodes the request,
 * the server decodes it, binds the params to a record on the handler scheduler, echoes them back, and the client
 * matches the response and reads the result. Measured one call at a time (latency-bound, crosses threads twice)
 * and pipelined (1,000 calls with 256 in flight; reported per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeerRoundTripBenchmark {

    private static final int PIPELINED_CALLS = 1000;
    private static final int IN_FLIGHT = 256;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private RpcPeer client;
    private RpcPeer server;

    /** Connects a client peer to a server peer whose {@code echo} method returns its params. */
    @Setup(Level.Trial)
    public void connect() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcRouter router = RpcRouter.builder()
                .method("echo", ClaimParams.class, Mono::just)
                .build();
        server = RpcPeer.builder(pair.right()).router(router).name("server").connect();
        client = RpcPeer.builder(pair.left()).name("client").connect();
        ClaimParams echoed = client.call("echo", SampleMessages.PARAMS, ClaimParams.class).block(LIMIT);
        if (!SampleMessages.PARAMS.equals(echoed)) {
            throw new IllegalStateException("echo returned " + echoed);
        }
    }

    /** Closes both peers and checks no call was left pending. */
    @TearDown(Level.Trial)
    public void close() {
        int left = client.pendingCount();
        client.dispose();
        server.dispose();
        if (left != 0) {
            throw new IllegalStateException(left + " calls still pending");
        }
    }

    /** One call, result as a Jackson tree, waited for before the next. */
    @Benchmark
    public JsonNode callBlocking() {
        return client.call("echo", SampleMessages.PARAMS).block(LIMIT);
    }

    /** One call, result bound to the record, waited for before the next. */
    @Benchmark
    public ClaimParams callTypedBlocking() {
        return client.call("echo", SampleMessages.PARAMS, ClaimParams.class).block(LIMIT);
    }

    /** 1,000 calls with up to 256 in flight; the score is per call. */
    @Benchmark
    @OperationsPerInvocation(PIPELINED_CALLS)
    public Long callPipelined() {
        return Flux.range(0, PIPELINED_CALLS)
                .flatMap(i -> client.call("echo", SampleMessages.PARAMS), IN_FLIGHT)
                .count()
                .block(LIMIT);
    }
}
