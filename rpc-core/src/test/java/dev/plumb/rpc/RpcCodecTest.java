package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcCodecTest {

    private final RpcCodec codec = RpcCodec.defaults();

    private RpcPacket decode(String json) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void paramsStayRawSlicesOfTheFrameEvenInsideALargerBuffer() {
        byte[] padded = "xxxx{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":[1,\"}\"]},\"id\":7}yyyy"
                .getBytes(StandardCharsets.UTF_8);
        RpcPacket p = codec.decode(padded, 4, padded.length - 8);
        assertThat(p).isInstanceOf(RpcRequest.class);
        RpcRequest r = (RpcRequest) p;
        assertThat(r.params().toString()).isEqualTo("{\"a\":[1,\"}\"]}");
        assertThat(r.id()).isEqualTo(RpcId.of(7));
        assertThat(r.method()).isEqualTo("m");
    }

    /** A record bound by name, as params are. */
    record Stock(String skuCode, int inStock) {
    }

    @Test
    void namedParamsOfARecordFollowTheMappersNamingStrategy() {
        RpcCodec snake = new RpcCodec(tools.jackson.databind.json.JsonMapper.builder()
                .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build());
        RpcRequest r = (RpcRequest) snake.decode(
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"sku_code\":\"a\",\"in_stock\":3},\"id\":1}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(new RpcParams(r.params(), snake).as(Stock.class)).isEqualTo(new Stock("a", 3));
        RpcRequest plain = (RpcRequest) decode(
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"skuCode\":\"b\",\"inStock\":4},\"id\":1}");
        assertThat(new RpcParams(plain.params(), codec).as(Stock.class)).isEqualTo(new Stock("b", 4));
    }

    record Renamed(@com.fasterxml.jackson.annotation.JsonProperty("sku") String code, int count) {
    }

    @Test
    void aRecordComponentRenamedWithJsonPropertyBindsByThatNameAsJacksonWritesIt() {
        RpcRequest r = (RpcRequest) decode(
                "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"sku\":\"a\",\"count\":3},\"id\":1}");
        assertThat(new RpcParams(r.params(), codec).as(Renamed.class)).isEqualTo(new Renamed("a", 3));
        assertThat(codec.toRaw(new Renamed("a", 3)).toString()).isEqualTo("{\"sku\":\"a\",\"count\":3}");
    }

    @Test
    void scalarResultsAreCapturedExactly() {
        for (String v : List.of("\"a\\\"b\"", "12", "-1.5e3", "true", "false", "null", "\"\"", "[]", "{}")) {
            RpcPacket p = decode("{\"jsonrpc\":\"2.0\",\"result\":" + v + ",\"id\":1}");
            assertThat(((RpcResponse) p).result().toString()).isEqualTo(v);
            p = decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + v + "}");
            assertThat(((RpcResponse) p).result().toString()).isEqualTo(v);
        }
    }

    @Test
    void idsAreEchoedExactlyAsReceived() {
        String big = "123456789012345678901234567890";
        RpcRequest r = (RpcRequest) decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + big + "}");
        assertThat(r.id()).isEqualTo(RpcId.of(new BigInteger(big)));
        assertThat(new String(codec.encodeResult(r.id(), 1), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":" + big + "}");
        RpcRequest s = (RpcRequest) decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":\"é\\\"1\"}");
        assertThat(s.id().asText()).isEqualTo("é\"1");
        assertThat(new String(codec.encodeResult(s.id(), null), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":\"é\\\"1\"}");
        RpcRequest n = (RpcRequest) decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":null}");
        assertThat(n.id().isNull()).isTrue();
    }

    @Test
    void numericIdsMatchByValue() {
        assertThat(RpcId.ofNumberText("1.0")).isEqualTo(RpcId.of(1)).hasSameHashCodeAs(RpcId.of(1));
        assertThat(RpcId.of("1")).isNotEqualTo(RpcId.of(1));
    }

    @Test
    void invalidRequestsCarryTheirIdWhenItCouldBeRead() {
        RpcInvalid v = (RpcInvalid) decode("{\"jsonrpc\":\"1.0\",\"method\":\"m\",\"id\":12}");
        assertThat(v.id()).isEqualTo(RpcId.of(12));
        assertThat(v.error().code()).isEqualTo(RpcError.INVALID_REQUEST);
        RpcInvalid badId = (RpcInvalid) decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":[]}");
        assertThat(badId.id().isNull()).isTrue();
        RpcInvalid dup = (RpcInvalid) decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"method\":\"n\",\"id\":1}");
        assertThat(dup.error().code()).isEqualTo(RpcError.INVALID_REQUEST);
    }

    @Test
    void brokenJsonIsAParseErrorEvenAfterAValidValue() {
        assertThat(((RpcInvalid) decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\"} x")).error().code())
                .isEqualTo(RpcError.PARSE_ERROR);
        assertThat(((RpcInvalid) decode("")).error().code()).isEqualTo(RpcError.PARSE_ERROR);
        assertThat(((RpcInvalid) decode("[{\"jsonrpc\":\"2.0\",\"method\"]")).error().code())
                .isEqualTo(RpcError.PARSE_ERROR);
    }

    @Test
    void errorResponsesAreReadWithTheirData() {
        RpcResponse r = (RpcResponse) decode(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":\"boom\",\"data\":{\"x\":[1]}},\"id\":3}");
        assertThat(r.error().code()).isEqualTo(-32000);
        assertThat(r.error().message()).isEqualTo("boom");
        assertThat(r.error().data().toString()).isEqualTo("{\"x\":[1]}");
        RpcResponse noId = (RpcResponse) decode("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse\"}}");
        assertThat(noId.id().isNull()).isTrue();
    }

    @Test
    void encodesCompactFrames() {
        assertThat(new String(codec.encodeRequest(RpcId.of(1), "sum", List.of(1, 2)), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2],\"id\":1}");
        assertThat(new String(codec.encodeNotification("n", Map.of("a", "b")), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":{\"a\":\"b\"}}");
        assertThat(new String(codec.encodeError(RpcId.NULL, RpcError.invalidParams("x")), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32602,\"message\":\"Invalid params\",\"data\":\"x\"},\"id\":null}");
    }

    @Test
    void decodedMessagesReEncodeToEquivalentFrames() {
        String req = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":[1,{\"b\":null}],\"id\":\"q\"}";
        assertThat(new String(codec.encode((RpcMessage) decode(req)), StandardCharsets.UTF_8)).isEqualTo(req);
    }

    record Claim(String queue, int limit) {
    }

    @Test
    void paramsOfAKnownTypeAreBoundWhileDecodingAndStillAvailableRaw() {
        String frame = "{\"jsonrpc\":\"2.0\",\"method\":\"claim\",\"params\":{\"queue\":\"q\",\"limit\":5},\"id\":1}";
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        RpcRequest r = (RpcRequest) codec.decode(bytes, 0, bytes.length, m -> m.equals("claim") ? Claim.class : null);
        assertThat(r.params().boundValue()).isEqualTo(new Claim("q", 5));
        assertThat(r.params().toString()).isEqualTo("{\"queue\":\"q\",\"limit\":5}");
        assertThat(codec.bind(r.params(), Claim.class)).isSameAs(r.params().boundValue());
    }

    @Test
    void paramsThatDoNotBindInPlaceStayRawAndTheFrameIsStillRead() {
        byte[] missing = "{\"jsonrpc\":\"2.0\",\"method\":\"claim\",\"params\":{\"queue\":\"q\"},\"id\":2}"
                .getBytes(StandardCharsets.UTF_8);
        RpcRequest r = (RpcRequest) codec.decode(missing, 0, missing.length, m -> Claim.class);
        assertThat(r.params().boundValue()).isNull();
        assertThat(r.id()).isEqualTo(RpcId.of(2));
        byte[] broken = "{\"jsonrpc\":\"2.0\",\"method\":\"claim\",\"params\":{\"queue\":}".getBytes(StandardCharsets.UTF_8);
        assertThat(((RpcInvalid) codec.decode(broken, 0, broken.length, m -> Claim.class)).error().code())
                .isEqualTo(RpcError.PARSE_ERROR);
    }

    @Test
    void largeValuesAreEncodedExactly() {
        byte[] raw = ("xx[\"" + "r".repeat(1_000_000) + "\"]yy").getBytes(StandardCharsets.US_ASCII);
        RawJson slice = RawJson.wrap(raw, 2, raw.length - 4);
        assertThat(new String(codec.encodeResult(RpcId.of(1), slice), StandardCharsets.US_ASCII))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":" + slice + ",\"id\":1}");

        String ascii = "a".repeat(500_000);
        assertThat(new String(codec.encodeResult(RpcId.of("s"), ascii), StandardCharsets.US_ASCII))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":\"" + ascii + "\",\"id\":\"s\"}");

        String escaped = "é\"\n".repeat(100_000);
        RpcPacket back = codec.decode(codec.encodeRequest(RpcId.of(2), "m", List.of(escaped, 7)));
        assertThat(codec.bind(((RpcRequest) back).params(), Object[].class)).containsExactly(escaped, 7);

        List<Integer> many = java.util.stream.IntStream.range(0, 300_000).boxed().toList();
        assertThat(new String(codec.encodeResult(RpcId.of(3), Map.of("many", many)), StandardCharsets.US_ASCII))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":" + codec.mapper().writeValueAsString(Map.of("many", many))
                        + ",\"id\":3}");

        byte[] a = codec.encodeResult(RpcId.of(4), slice);
        byte[] b = codec.encodeResult(RpcId.of(5), ascii);
        assertThat(new String(codec.encodeBatch(List.of(a, b)), StandardCharsets.US_ASCII))
                .isEqualTo("[" + new String(a, StandardCharsets.US_ASCII) + "," + new String(b, StandardCharsets.US_ASCII)
                        + "]");
    }
}
