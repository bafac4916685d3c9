package dev.plumb.bench.core;

import dev.plumb.bench.core.SampleMessages.ClaimParams;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

/**
 * The server side of one call through {@link RpcRouter#respond(byte[])} (what stateless transports such as HTTP
 * use): decode the request, find the method, bind params to a record, run the handler, encode its record result.
 * It is {@code PlumbCodecBenchmark.decodeEncodeTyped} plus routing and the handler's {@code Mono}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RouterRespondBenchmark {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private RpcRouter router;

    /** Registers {@code Queue.claimItems} answering the sample result. */
    @Setup
    public void setUp() {
        router = RpcRouter.builder()
                .method(SampleMessages.METHOD, ClaimParams.class, p -> Mono.just(SampleMessages.RESULT))
                .build();
        byte[] reply = respondTyped();
        if (reply == null || reply.length != SampleMessages.RESPONSE.length) {
            throw new IllegalStateException("unexpected reply");
        }
    }

    /** Answers the sample request with a record result. */
    @Benchmark
    public byte[] respondTyped() {
        return router.respond(SampleMessages.REQUEST).block(LIMIT);
    }
}
