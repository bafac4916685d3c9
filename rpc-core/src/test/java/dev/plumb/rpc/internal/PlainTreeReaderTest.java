package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Trees read from bytes without a parser are the trees Jackson reads, node types included. */
class PlainTreeReaderTest {

    private static final ObjectMapper MAPPER = RpcCodec.defaults().mapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"items\":[{\"id\":101,\"queue\":\"default\",\"status\":\"claimed\"}],\"count\":2}",
        "[1, -1, 0, -0, 2147483647, 2147483648, -2147483649, 9223372036854775807, 9223372036854775808,"
                + " 123456789012345678901234567890, 0.1, -0.0, 1e400, 1E-400, 2.5e+3, 1.0, 100000000000000000000.5]",
        "{\"a\":1,\"b\":2,\"a\":3}",
        "\"caf\\u00e9 \\ud83d\\ude00 \u00e9 \\n\\\"\"",
        "  {\"\":null, \"t\":true, \"f\":false, \"o\":{}, \"e\":[], \"n\":[[[]]]}  ",
        "42", "null", "true",
    })
    void readsTheTreeJacksonReads(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        JsonNode plain = PlainTreeReader.read(MAPPER.deserializationConfig().getNodeFactory(), b, 0, b.length,
                MAPPER.tokenStreamFactory().streamReadConstraints());
        JsonNode jackson = MAPPER.readTree(b);
        assertThat(plain).isEqualTo(jackson);
        assertThat(plain.toString()).isEqualTo(jackson.toString()); // same node types: same text
        assertThat(RpcCodec.defaults().tree(RawJson.of(json))).isEqualTo(jackson);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":}", "[1,]", "01", "{'a':1}"})
    void whatIsNotStrictJsonGetsTheMappersAnswer(String json) {
        assertThatThrownBy(() -> RpcCodec.defaults().tree(RawJson.of(json))).isInstanceOf(JacksonException.class);
    }

    @org.junit.jupiter.api.Test
    void appliesOnlyToTheStandardTreeReading() {
        assertThat(PlainTreeReader.covers(MAPPER)).isTrue();
        assertThat(PlainTreeReader.covers(JsonMapper.builder()
                .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build())).isFalse();
    }
}
