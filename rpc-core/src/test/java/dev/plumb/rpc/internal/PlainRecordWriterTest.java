package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.rpc.RpcCodec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Records written without Jackson's generator come out byte for byte as Jackson writes them, or not at all. */
class PlainRecordWriterTest {

    private static final ObjectMapper MAPPER = RpcCodec.defaults().mapper();

    record Item(long id, String queue, String status) {
    }

    record Result(List<Item> items, int count, boolean isError, Boolean maybe, double ratio, Double boxed,
                  Object any, Map<String, Object> meta, List<String> tags, List<Object> mixed, Item first,
                  Integer none) {
    }

    record WithRenamed(@JsonProperty("_meta") String meta) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NonNull(String a) {
    }

    record Other(java.time.Duration d) {
    }

    private static String plain(ObjectMapper mapper, Object value) {
        FrameBuffer out = FrameBuffer.acquire();
        try {
            return PlainRecordWriter.write(mapper, out, value)
                    ? new String(out.toByteArray(), StandardCharsets.UTF_8) : null;
        } finally {
            out.release();
        }
    }

    private static Result sample(Object any, double ratio) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("z", 1);
        meta.put("a", List.of("x", 2L, 3.25, true));
        meta.put("nested", Map.of("k", "v \u00e9 \"q\" \n\t\u0001 \ud83d\ude00"));
        meta.put("nothing", null);
        meta.put("big", new BigInteger("123456789012345678901234567890"));
        List<Object> mixed = new ArrayList<>(Arrays.asList(1, null, "two", Map.of()));
        return new Result(List.of(new Item(101, "default", "claimed"), new Item(-1, "", "\u00fc")), 2, false, null,
                ratio, 1e-7, any, meta, Arrays.asList("a", null), mixed, new Item(Long.MAX_VALUE, null, "s"), null);
    }

    @Test
    void writesWhatJacksonWrites() {
        for (Object any : new Object[] {null, "s", 5, 5L, 1.5, Map.of("a", 1), List.of(1, "b")}) {
            for (double ratio : new double[] {0.0, -0.0, 1.0, 0.1, 1e21, 1e-7, 123456.789, Double.MIN_VALUE}) {
                Result r = sample(any, ratio);
                assertThat(plain(MAPPER, r)).isEqualTo(MAPPER.writeValueAsString(r));
            }
        }
        assertThat(plain(MAPPER, new Item(1, "q", "s"))).isEqualTo("{\"id\":1,\"queue\":\"q\",\"status\":\"s\"}");
    }

    @Test
    void leavesToJacksonWhatItCannotWritePlainly() {
        assertThat(plain(MAPPER, sample(Double.NaN, 1))).isNull(); // a non-finite untyped value
        assertThat(plain(MAPPER, sample(null, Double.POSITIVE_INFINITY))).isNull();
        assertThat(plain(MAPPER, sample(Map.of(1, "non-string key"), 1))).isNull();
        assertThat(plain(MAPPER, sample(new StringBuilder("other class"), 1))).isNull();
        assertThat(plain(MAPPER, new WithRenamed("m"))).isNull(); // annotated: Jackson knows best
        assertThat(plain(MAPPER, new NonNull(null))).isNull();
        assertThat(plain(MAPPER, new Other(java.time.Duration.ZERO))).isNull();
        ObjectMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        assertThat(plain(snake, new Item(1, "q", "s"))).isNull();
        ObjectMapper indented = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        assertThat(plain(indented, new Item(1, "q", "s"))).isNull();
    }

    @Test
    void theCodecWritesRecordsThatWay() {
        Result r = sample("any", 0.5);
        byte[] frame = RpcCodec.defaults().encodeResult(dev.plumb.rpc.RpcId.of(7), r);
        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":" + MAPPER.writeValueAsString(r) + ",\"id\":7}");
    }
}
