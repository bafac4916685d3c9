package dev.plumb.bench.core;

import dev.plumb.bench.core.SampleMessages.ClaimParams;
import dev.plumb.bench.core.SampleMessages.ClaimResult;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcRequest;
import dev.plumb.rpc.RpcResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Plumb's {@link RpcCodec} on the {@link SampleMessages}: decode and encode of a request and a response, and the
 * server's decode-request-then-encode-response step.
 *
 * <p>Two flavours where it matters. "Raw" keeps {@code params}/{@code result} as the undecoded bytes Plumb hands
 * out (a message that is only routed or forwarded never becomes objects). "Typed" binds {@code params} to a record
 * and writes a record result through Jackson, which is the work LSP4J always does, so it is the like-for-like
 * comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlumbCodecBenchmark {

    private final RpcCodec codec = RpcCodec.defaults();

    /** Checks that the messages decode to what the benchmarks assume, so no benchmark measures an error path. */
    @Setup
    public void check() {
        if (!SampleMessages.PARAMS.equals(decodeRequestTyped())) {
            throw new IllegalStateException("params not bound");
        }
        if (!SampleMessages.RESULT.equals(decodeResponseTyped())) {
            throw new IllegalStateException("result not bound");
        }
        RpcRequest hinted = (RpcRequest) codec.decode(SampleMessages.REQUEST, 0, SampleMessages.REQUEST.length,
                PARAMS_TYPES);
        if (!(hinted.params().boundValue() instanceof ClaimParams)) {
            throw new IllegalStateException("params were not bound while decoding");
        }
        String typed = new String(decodeEncodeTyped(), java.nio.charset.StandardCharsets.UTF_8);
        if (!typed.equals(new String(SampleMessages.RESPONSE, java.nio.charset.StandardCharsets.UTF_8))) {
            throw new IllegalStateException("unexpected response " + typed);
        }
    }

    /** Decodes the request; params stay raw bytes. */
    @Benchmark
    public RpcPacket decodeRequest() {
        return codec.decode(SampleMessages.REQUEST);
    }

    /** Decodes the request and binds its params to a record (what LSP4J's parse does). */
    @Benchmark
    public ClaimParams decodeRequestTyped() {
        RpcRequest request = (RpcRequest) codec.decode(SampleMessages.REQUEST);
        return codec.bind(request.params(), ClaimParams.class);
    }

    /** Encodes a request whose params are a record, written by Jackson. */
    @Benchmark
    public byte[] encodeRequestTyped() {
        return codec.encodeRequest(RpcId.of(SampleMessages.ID), SampleMessages.METHOD, SampleMessages.PARAMS);
    }

    /** Encodes a request whose params are already JSON (forwarding). */
    @Benchmark
    public byte[] encodeRequestRaw() {
        return codec.encodeRequest(RpcId.of(SampleMessages.ID), SampleMessages.METHOD, SampleMessages.PARAMS_JSON);
    }

    /** Decodes the response; the result stays raw bytes. */
    @Benchmark
    public RpcPacket decodeResponse() {
        return codec.decode(SampleMessages.RESPONSE);
    }

    /** Decodes the response and binds its result to a record (what LSP4J's parse does with a method provider). */
    @Benchmark
    public ClaimResult decodeResponseTyped() {
        RpcResponse response = (RpcResponse) codec.decode(SampleMessages.RESPONSE);
        return codec.bind(response.result(), ClaimResult.class);
    }

    /** Encodes a response whose result is a record, written by Jackson. */
    @Benchmark
    public byte[] encodeResponseTyped() {
        return codec.encodeResult(RpcId.of(SampleMessages.ID), SampleMessages.RESULT);
    }

    /** Encodes a response whose result is already JSON (forwarding). */
    @Benchmark
    public byte[] encodeResponseRaw() {
        return codec.encodeResult(RpcId.of(SampleMessages.ID), SampleMessages.RESULT_JSON);
    }

    /**
     * Headline, like for like with LSP4J: decode the request, bind its params to a record, encode a record result
     * under the request's id.
     */
    @Benchmark
    public byte[] decodeEncodeTyped() {
        RpcRequest request = (RpcRequest) codec.decode(SampleMessages.REQUEST);
        ClaimParams params = codec.bind(request.params(), ClaimParams.class);
        if (params.limit() < 0) {
            throw new IllegalStateException(); // keeps the binding live
        }
        return codec.encodeResult(request.id(), SampleMessages.RESULT);
    }

    private static final java.util.function.Function<String, Class<?>> PARAMS_TYPES =
            m -> "Queue.claimItems".equals(m) ? ClaimParams.class : null;

    /**
     * As {@link #decodeEncodeTyped()}, but the params type is known while decoding (what a router or peer does):
     * the params bind in the envelope pass, and {@code codec.bind} returns that value.
     */
    @Benchmark
    public byte[] decodeEncodeTypedSinglePass() {
        RpcRequest request = (RpcRequest) codec.decode(SampleMessages.REQUEST, 0, SampleMessages.REQUEST.length,
                PARAMS_TYPES);
        ClaimParams params = codec.bind(request.params(), ClaimParams.class);
        if (params.limit() < 0) {
            throw new IllegalStateException(); // keeps the binding live
        }
        return codec.encodeResult(request.id(), SampleMessages.RESULT);
    }

    /** Decode the request, answer with an already-encoded result (a proxy or cache): no binding at all. */
    @Benchmark
    public byte[] decodeEncodeRaw() {
        RpcRequest request = (RpcRequest) codec.decode(SampleMessages.REQUEST);
        return codec.encodeResult(request.id(), SampleMessages.RESULT_JSON);
    }
}
