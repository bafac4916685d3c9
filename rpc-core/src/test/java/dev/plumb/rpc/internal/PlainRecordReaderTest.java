package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/** Params bound straight from bytes give what the Jackson-backed binder gives, and step aside where they cannot. */
class PlainRecordReaderTest {

    private static final ObjectMapper MAPPER = RpcCodec.defaults().mapper();

    record Plain(String name, int count, long big, boolean flag, double ratio, Integer boxed, Object any,
                 Map<String, Object> args, List<String> tags, List<Object> items, RawJson raw,
                 @JsonProperty("_meta") Map<String, Object> meta) {
    }

    record WithPrimitive(int n) {
    }

    record Annotated(@JsonDeserialize(using = tools.jackson.databind.deser.jdk.StringDeserializer.class) String s) {
    }

    record Nested(Plain inner) {
    }

    private static Object jackson(Class<?> type, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return ParamBinder.readRecord(MAPPER, type, parser(b), firstToken, b, 0);
    }

    private static tools.jackson.core.JsonToken firstToken;

    private static tools.jackson.core.JsonParser parser(byte[] b) {
        tools.jackson.core.JsonParser p = MAPPER.createParser(b);
        firstToken = p.nextToken();
        return p;
    }

    private static Object plain(Class<?> type, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        PlainRecordReader reader = PlainRecordReader.of(MAPPER, type);
        assertThat(reader).as(type.getSimpleName()).isNotNull();
        return reader.read(b, 0, b.length, StreamReadConstraints.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\":\"n\\u00e9\\\"\",\"count\":-7,\"big\":123456789012,\"flag\":true,\"ratio\":2.5e-3,\"boxed\":null,"
                + "\"any\":{\"a\":[1,2147483648,1.5,\"x\",false,null,{}],\"b\":12345678901234567890},"
                + "\"args\":{\"text\":\"hi \ud83d\ude00\",\"n\":3},\"tags\":[\"a\",null,\"c\"],\"items\":[[],{},0],"
                + "\"raw\":{\"keep\": [1, 2]},\"_meta\":{\"progressToken\":7},\"unknown\":[1,{\"x\":2}]}",
        "[\"n\",1,2,false,0.5,3,\"any\",{},[],[],null,null]",
        "{\"count\":0,\"big\":0,\"flag\":false,\"ratio\":1.0}",
        "{ \"count\" : 1 , \"big\" : -1 , \"flag\" : true , \"ratio\" : -0.0 , \"na\\u006de\" : \"escaped key\" }",
    })
    void bindsWhatTheJacksonBinderBinds(String json) {
        Object fast = plain(Plain.class, json);
        assertThat(fast).isNotSameAs(PlainRecordReader.NOT_PLAIN).isEqualTo(jackson(Plain.class, json));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"count\":\"5\",\"big\":0,\"flag\":false,\"ratio\":1.0}", // a coercion: Jackson's rules apply
        "{\"count\":2147483648,\"big\":0,\"flag\":false,\"ratio\":1.0}", // out of int range: Jackson's error
        "{\"big\":0,\"flag\":false,\"ratio\":1.0}", // a missing primitive: the binder's error
        "{\"count\":1,\"big\":0,\"flag\":false,\"ratio\":1}", // an integer for a double
        "{\"count\":1,\"big\":0,\"flag\":false,\"ratio\":1.0,\"any\":{\"a\":1,\"a\":2}}", // a duplicate key
        "[\"n\",1,2,false,0.5,3,\"any\",{},[],[],null,null,\"one too many\"]",
        "\"not params\"",
    })
    void leavesToJacksonWhatIsNotPlain(String json) {
        assertThat(plain(Plain.class, json)).isSameAs(PlainRecordReader.NOT_PLAIN);
    }

    @Test
    void appliesOnlyWhereJacksonReadsValuesTheStandardWay() {
        assertThat(PlainRecordReader.of(MAPPER, WithPrimitive.class)).isNotNull();
        assertThat(PlainRecordReader.of(MAPPER, Annotated.class)).isNull();
        assertThat(PlainRecordReader.of(MAPPER, Nested.class)).isNull();
        assertThat(PlainRecordReader.of(MAPPER, String.class)).isNull();
        ObjectMapper bigDecimals = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        assertThat(PlainRecordReader.of(bigDecimals, Plain.class)).isNull();
    }

    @Test
    void decodingWithAKnownRecordTypeCarriesTheBoundValue() {
        byte[] frame = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"n\":5},\"id\":1}".getBytes(StandardCharsets.UTF_8);
        dev.plumb.rpc.RpcRequest r = (dev.plumb.rpc.RpcRequest) RpcCodec.defaults()
                .decode(frame, 0, frame.length, m -> WithPrimitive.class);
        assertThat(r.params().boundValue()).isEqualTo(new WithPrimitive(5));
        byte[] missing = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{},\"id\":1}".getBytes(StandardCharsets.UTF_8);
        dev.plumb.rpc.RpcRequest left = (dev.plumb.rpc.RpcRequest) RpcCodec.defaults()
                .decode(missing, 0, missing.length, m -> WithPrimitive.class);
        assertThat(left.params().boundType()).isNull(); // left raw: binding it later reports the missing 'n'
    }
}
