package dev.plumb.bench.core;

import dev.plumb.bench.core.SampleMessages.ClaimParams;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcParams;
import dev.plumb.rpc.RpcRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the time and bytes of Plumb's typed decode+encode go: the pieces of {@link PlumbCodecBenchmark}'s
 * {@code decodeEncodeTyped} measured one by one, and the same path with changes the codec could make (a
 * thread-local Jackson buffer pool, binding params in the envelope's own parse). Diagnostic, not a claim.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecCostBreakdownBenchmark {

    private final RpcCodec codec = RpcCodec.defaults();
    private final JsonFactory factory = (JsonFactory) codec.mapper().tokenStreamFactory();
    private final ObjectMapper threadLocalPoolMapper = JsonMapper.builder(
            JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build();
    private final RpcCodec threadLocalPoolCodec = new RpcCodec(threadLocalPoolMapper);
    private final ObjectReader paramsReader = codec.mapper().readerFor(ClaimParams.class);
    private final ObjectReader inPlaceParamsReader =
            paramsReader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ObjectReader threadLocalPoolInPlaceReader = threadLocalPoolMapper.readerFor(ClaimParams.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final RawJson params = ((RpcRequest) codec.decode(SampleMessages.REQUEST)).params();

    /** Creating and closing one Jackson parser over the request: the fixed cost every decode and bind pays. */
    @Benchmark
    public JsonParser jacksonParserOpenClose() {
        JsonParser p = factory.createParser(ObjectReadContext.empty(), SampleMessages.REQUEST, 0,
                SampleMessages.REQUEST.length);
        p.close();
        return p;
    }

    /** Walking every token of the request with no values read: the floor for a Jackson-based decode. */
    @Benchmark
    public int jacksonTokenWalk() {
        int n = 0;
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), SampleMessages.REQUEST, 0,
                SampleMessages.REQUEST.length)) {
            while (p.nextToken() != null) {
                n++;
            }
        }
        return n;
    }

    /** Binding the already-captured params slice to the record (the second parse of the typed path). */
    @Benchmark
    public ClaimParams bindParams() {
        return codec.bind(params, ClaimParams.class);
    }

    /** The same params bound the way the router binds them for a record-typed method (via a Jackson tree). */
    @Benchmark
    public ClaimParams bindParamsAsRouter() {
        return new RpcParams(params, codec).as(ClaimParams.class);
    }

    /** The same binding through a cached {@link ObjectReader}. */
    @Benchmark
    public ClaimParams bindParamsCachedReader() {
        return paramsReader.readValue(params.array(), params.offset(), params.length());
    }

    /**
     * Binding the same params to a mutable class with public fields instead of a record: Jackson 3.2 calls a
     * record's canonical constructor through {@code MethodHandle.invokeWithArguments}, which allocates per call.
     */
    @Benchmark
    public ClaimParamsBean bindParamsToFieldClass() {
        return codec.bind(params, ClaimParamsBean.class);
    }

    /** The params as a plain mutable class, for {@link #bindParamsToFieldClass()}. */
    public static class ClaimParamsBean {
        /** The queue to claim from. */
        public String queue;
        /** The fields to return. */
        public java.util.List<String> select;
        /** How many items at most. */
        public int limit;
        /** How long the claim lasts. */
        public int leaseSeconds;
    }

    /** Encoding the record result under an id (the encode half of the typed path). */
    @Benchmark
    public byte[] encodeResultTyped() {
        return codec.encodeResult(RpcId.of(SampleMessages.ID), SampleMessages.RESULT);
    }

    /** Plumb's decode with a mapper whose Jackson buffers come from a thread-local pool instead of a deque. */
    @Benchmark
    public RpcPacket decodeRequestThreadLocalPool() {
        return threadLocalPoolCodec.decode(SampleMessages.REQUEST);
    }

    /** The typed headline path with the thread-local pool mapper. */
    @Benchmark
    public byte[] decodeEncodeTypedThreadLocalPool() {
        RpcRequest request = (RpcRequest) threadLocalPoolCodec.decode(SampleMessages.REQUEST);
        ClaimParams p = threadLocalPoolCodec.bind(request.params(), ClaimParams.class);
        if (p.limit() < 0) {
            throw new IllegalStateException();
        }
        return threadLocalPoolCodec.encodeResult(request.id(), SampleMessages.RESULT);
    }

    /**
     * A sketch of single-pass typed decoding: one parser reads the envelope and binds params in place (no second
     * parser, no params slice), then the result is encoded. It skips some of the codec's validation, so it is an
     * upper bound on what binding during decode could gain.
     */
    @Benchmark
    public byte[] decodeEncodeTypedSinglePass() {
        return singlePass(inPlaceParamsReader, codec);
    }

    /** {@link #decodeEncodeTypedSinglePass()} with the thread-local buffer pool: both changes together. */
    @Benchmark
    public byte[] decodeEncodeTypedSinglePassThreadLocalPool() {
        return singlePass(threadLocalPoolInPlaceReader, threadLocalPoolCodec);
    }

    private static byte[] singlePass(ObjectReader reader, RpcCodec codec) {
        RpcId id = null;
        ClaimParams p = null;
        try (JsonParser parser = reader.createParser(SampleMessages.REQUEST)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken t = parser.nextToken();
                if ("params".equals(name)) {
                    p = reader.readValue(parser);
                } else if ("id".equals(name) && t == JsonToken.VALUE_NUMBER_INT) {
                    id = RpcId.of(parser.getLongValue());
                } else {
                    parser.skipChildren();
                }
            }
        }
        if (p == null || id == null || p.limit() < 0) {
            throw new IllegalStateException();
        }
        return codec.encodeResult(id, SampleMessages.RESULT);
    }
}
