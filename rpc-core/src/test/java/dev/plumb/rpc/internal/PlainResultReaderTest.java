package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Results bound straight from bytes ({@link RpcCodec#bind(RawJson, Class)}) give exactly what
 * {@code ObjectMapper.readValue} gives, value or failure, over well-formed and mutated inputs and under mappers
 * configured differently.
 */
class PlainResultReaderTest {

    record Item(long id, String queue, String status) {
    }

    record Everything(String s, int i, long l, boolean b, double d, Integer boxed, Object any,
                      Map<String, Object> map, List<String> strs, List<Object> objs, RawJson raw,
                      @JsonProperty("_meta") Map<String, Object> meta) {
    }

    /** Everything but the RawJson (which Jackson reads as a tree and writes again): read from bytes. */
    record Plain(String s, int i, long l, boolean b, double d, Integer boxed, Object any, Map<String, Object> map,
                 List<String> strs, List<Object> objs, @JsonProperty("_meta") Map<String, Object> meta) {
    }

    record Required(@JsonProperty(value = "n", required = true) Integer n, String s) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Lenient(String s, int i) {
    }

    private static final String[] INPUTS = {
        "{\"id\":101,\"queue\":\"default\",\"status\":\"claimed\"}",
        "{\"status\":\"claimed\",\"id\":-5,\"queue\":\"q\\u00e9\\n\"}",
        "{\"id\":101,\"queue\":\"default\"}",
        "{\"id\":101,\"queue\":null,\"status\":\"x\"}",
        "{\"id\":null,\"queue\":\"a\",\"status\":\"x\"}",
        "{\"id\":1,\"queue\":\"a\",\"status\":\"x\",\"extra\":[1,{}]}",
        "{\"id\":1,\"id\":2,\"queue\":\"a\",\"status\":\"x\"}",
        "{\"id\":\"7\",\"queue\":\"a\",\"status\":\"x\"}",
        "{\"id\":1.0,\"queue\":\"a\",\"status\":\"x\"}",
        "[101,\"default\",\"claimed\"]",
        "{\"s\":\"x\",\"i\":1,\"l\":2,\"b\":true,\"d\":1.5,\"boxed\":null,\"any\":{\"k\":[1,\"two\",null,2.5,99999999999]},"
                + "\"map\":{\"a\":1,\"b\":{\"c\":[]}},\"strs\":[\"p\",null],\"objs\":[1,\"s\",{}],\"raw\":{\"r\":[1]},"
                + "\"_meta\":{\"m\":true}}",
        "{\"s\":\"x\",\"i\":1,\"l\":2,\"b\":true,\"d\":1.5,\"boxed\":3,\"any\":null,\"map\":null,\"strs\":null,"
                + "\"objs\":null,\"raw\":null,\"_meta\":null}",
        "{\"s\":\"x\",\"i\":1,\"l\":2,\"b\":true,\"d\":1.5,\"boxed\":3,\"any\":1,\"map\":{\"a\":1,\"a\":2},\"strs\":[],"
                + "\"objs\":[],\"raw\":1,\"meta\":{}}",
        "{\"s\":\"x\",\"i\":1,\"l\":2,\"b\":true,\"d\":1.5,\"boxed\":null,\"any\":{\"k\":[1,\"two\",null,2.5]},"
                + "\"map\":{\"a\":1,\"b\":{\"c\":[]}},\"strs\":[\"p\",null],\"objs\":[1,\"s\",{}],\"_meta\":{\"m\":true}}",
        "{\"raw\":{\"r\":{\"x\":1},\"r\":null},\"s\":\"x\",\"i\":1,\"l\":2,\"b\":true,\"d\":1.5,\"boxed\":null,\"any\":1,"
                + "\"map\":{},\"strs\":[],\"objs\":[],\"_meta\":null}",
        "{\"n\":1,\"s\":\"a\"}", "{\"s\":\"a\"}", "{\"s\":\"a\",\"i\":2,\"zz\":3}",
        " { \"id\" : 1 , \"queue\" : \"a\" , \"status\" : \"x\" } ", "{}", "null", "[]", "1", "\"x\"",
    };

    private static final Class<?>[] TYPES = {Item.class, Everything.class, Plain.class, Required.class, Lenient.class};

    /** The outcome of binding: the value, or the failure's class. */
    private static Object outcome(java.util.function.Supplier<Object> bind) {
        try {
            return bind.get();
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }

    private static int compare(ObjectMapper mapper, List<byte[]> inputs) {
        RpcCodec codec = new RpcCodec(mapper);
        int values = 0;
        for (byte[] input : inputs) {
            for (Class<?> type : TYPES) {
                Object jackson = outcome(() -> mapper.readValue(input, type));
                Object ours = outcome(() -> codec.bind(RawJson.wrap(input, 0, input.length), type));
                assertThat(ours).as(type.getSimpleName() + " from " + new String(input, StandardCharsets.UTF_8))
                        .isEqualTo(jackson);
                if (!(jackson instanceof Class<?>)) {
                    values++;
                }
            }
        }
        return values;
    }

    private static List<byte[]> inputs(int mutations) {
        List<byte[]> out = new ArrayList<>();
        for (String s : INPUTS) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        }
        Random random = new Random(42);
        byte[] alphabet = "{}[]\":,\\ 0123456789-.eEtrufalsn".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < mutations; i++) {
            byte[] base = INPUTS[random.nextInt(INPUTS.length)].getBytes(StandardCharsets.UTF_8);
            List<Byte> bytes = new ArrayList<>();
            for (byte x : base) {
                bytes.add(x);
            }
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(3)) {
                case 0 -> bytes.remove(at);
                case 1 -> bytes.set(at, alphabet[random.nextInt(alphabet.length)]);
                default -> bytes.add(at, alphabet[random.nextInt(alphabet.length)]);
            }
            byte[] m = new byte[bytes.size()];
            for (int k = 0; k < m.length; k++) {
                m[k] = bytes.get(k);
            }
            out.add(m);
        }
        return out;
    }

    @Test
    void resultsBindAsJacksonBindsThemUnderTheDefaultMapper() {
        assertThat(compare(RpcCodec.defaults().mapper(), inputs(5_000))).isGreaterThan(1_000);
    }

    @Test
    void resultsBindAsJacksonBindsThemUnderOtherSettings() {
        List<byte[]> inputs = inputs(1_000);
        ObjectMapper base = RpcCodec.defaults().mapper();
        for (ObjectMapper mapper : List.of(
                base.rebuild().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
                base.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(),
                base.rebuild().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build(),
                base.rebuild().disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build(),
                base.rebuild().enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES).build(),
                base.rebuild().enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES).build(),
                base.rebuild().enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build(),
                JsonMapper.builder().build())) {
            assertThat(compare(mapper, inputs)).isGreaterThan(100);
        }
    }

    @Test
    void aTypicalResultIsReadWithoutJackson() {
        byte[] b = "{\"id\":101,\"queue\":\"default\",\"status\":\"claimed\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(PlainRecordReader.readResult(RpcCodec.defaults().mapper(), Item.class, b, 0, b.length))
                .isEqualTo(new Item(101, "default", "claimed"));
        assertThat(PlainRecordReader.readResult(RpcCodec.defaults().mapper(), Lenient.class, b, 0, b.length))
                .isSameAs(PlainRecordReader.NOT_PLAIN); // a class annotation: Jackson's rules
        assertThat(PlainRecordReader.readResult(RpcCodec.defaults().mapper(), Required.class, b, 0, b.length))
                .isSameAs(PlainRecordReader.NOT_PLAIN); // @JsonProperty(required = true)
        assertThat(PlainRecordReader.readResult(RpcCodec.defaults().mapper(), Everything.class, b, 0, b.length))
                .isSameAs(PlainRecordReader.NOT_PLAIN); // a RawJson component
    }
}
