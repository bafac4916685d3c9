package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcBatch;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcInvalid;
import dev.plumb.rpc.RpcNotification;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcRequest;
import dev.plumb.rpc.RpcResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast decoding path against the Jackson one: the same packets for every frame Jackson reads strictly, and
 * a parse error where the frame is not strict JSON in strict UTF-8.
 */
class EnvelopeScannerTest {

    private static final JsonFactory FACTORY = (JsonFactory) RpcCodec.defaults().mapper().tokenStreamFactory();
    private static final RpcInvalid PARSE_ERROR = new RpcInvalid(RpcId.NULL, RpcError.parseError(), false);

    private static final String[] CORPUS = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}",
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1,2,3,4,5]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"foobar\"}",
        "{\"jsonrpc\":\"2.0\",\"result\":{\"items\":[{\"id\":101,\"q\":\"d\"}],\"count\":2},\"id\":42}",
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\",\"data\":[1,{\"a\":null}]},\"id\":\"1\"}",
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},{\"foo\":\"boo\"},1,"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"9\"}]",
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"caf\u00e9 \u65e5\u672c \uD83D\uDE00 \\\"q\\\" \\u00e9 \\ud83d\\ude00\"],"
                + "\"id\":-7}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"n\":[-0,0.5,1e10,-2.5E-3,true,false,null,{}]},\"id\":12345678901234567890}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":1.5}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":9223372036854775807}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":-9223372036854775808}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":{}}",
        "{\"jsonrpc\":\"1.0\",\"method\":\"x\",\"id\":1}",
        "{\"jsonrpc\":\"2\\u002e0\",\"m\\u0065thod\":\"x\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"method\":\"y\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}",
        "{\"jsonrpc\":\"2.0\",\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"},\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1.5,\"message\":\"m\"},\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"error\":{\"message\":\"m\"},\"id\":1}",
        "{}", "[]", "[1,2,3]", "1", "\"x\"", "null", " \t\r\n{\"jsonrpc\":\"2.0\",\"method\":\"a\"} \n",
        // call metadata (RpcMetadata.MEMBER): string members kept, others skipped, anything but an object ignored
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[1],\"id\":7,"
                + "\"$meta\":{\"traceparent\":\"00-ab\",\"n\":1,\"o\":{\"x\":\"y\"},\"t\":\"x\\u0041\"}}",
        "{\"$meta\":{\"a\":\"b\"},\"jsonrpc\":\"2.0\",\"method\":\"n\"}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"$meta\":[1]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"\\u0024meta\":{\"a\":\"b\"}}",
        "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1,\"$meta\":{\"a\":\"b\"}}",
    };

    private static RpcPacket jackson(byte[] frame) {
        return EnvelopeReader.read(FACTORY, frame, 0, frame.length, null, null);
    }

    private static RpcPacket scanner(byte[] frame) {
        return EnvelopeScanner.read(FACTORY, frame, 0, frame.length, null, null);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultCodecTakesTheFastPathAndALenientOneDoesNot() {
        assertThat(EnvelopeScanner.covers(FACTORY)).isTrue();
        JsonFactory lenient = JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
        assertThat(EnvelopeScanner.covers(lenient)).isFalse();
        RpcCodec codec = new RpcCodec(JsonMapper.builder(lenient).build());
        assertThat(codec.decode(utf8("{\"jsonrpc\":\"2.0\",/* hi */\"method\":\"a\"}")))
                .isEqualTo(new RpcNotification("a", null));
    }

    @Test
    void metadataKeepsItsStringMembers() {
        byte[] frame = utf8("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,"
                + "\"$meta\":{\"traceparent\":\"00-ab\",\"n\":1,\"t\":\"x\\u0041\"}}");
        assertThat(((dev.plumb.rpc.RpcRequest) scanner(frame)).metadata())
                .isEqualTo(java.util.Map.of("traceparent", "00-ab", "t", "xA"));
    }

    @Test
    void everyCorpusFrameDecodesAsJacksonDecodesIt() {
        for (String frame : CORPUS) {
            byte[] bytes = utf8(frame);
            assertThat(scanner(bytes)).as(frame).isEqualTo(jackson(bytes));
        }
    }

    @Test
    void packetsCarryTheValuesOfTheFrame() {
        RpcPacket p = scanner(utf8(CORPUS[8]));
        assertThat(p).isInstanceOf(RpcRequest.class);
        RpcRequest r = (RpcRequest) p;
        assertThat(r.id()).isEqualTo(RpcId.of(-7));
        assertThat(RpcCodec.defaults().elements(r.params()).get(0).toString())
                .isEqualTo("\"caf\u00e9 \u65e5\u672c \uD83D\uDE00 \\\"q\\\" \\u00e9 \\ud83d\\ude00\"");
        RpcResponse e = (RpcResponse) scanner(utf8(CORPUS[5]));
        assertThat(e.error().code()).isEqualTo(-32601);
        assertThat(e.error().data()).isEqualTo(RawJson.of("[1,{\"a\":null}]"));
        RpcBatch batch = (RpcBatch) scanner(utf8(CORPUS[7]));
        assertThat(batch.members()).hasSize(4);
        assertThat(((RpcRequest) scanner(utf8(CORPUS[11]))).id()).isEqualTo(RpcId.of(Long.MAX_VALUE));
        assertThat(((RpcRequest) scanner(utf8(CORPUS[9]))).id().asText()).isEqualTo("12345678901234567890");
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "E0808F", "EDA080", "F4908080", "F8888080", "80", "C3", "E282", "FF"})
    void invalidUtf8InsideAStringIsAParseError(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] head = utf8("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"a");
        byte[] tail = utf8("b\"],\"id\":1}");
        ByteBuffer frame = ByteBuffer.allocate(head.length + bad.length + tail.length).put(head).put(bad).put(tail);
        assertThat(scanner(frame.array())).isEqualTo(PARSE_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[01]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[1.]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[+1]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[1,]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":{\"a\":1,}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[\"\t\"]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[\"\\x\"]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[\"\\u12G4\"]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[tru]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[NaN]}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\"}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"a\"",
        "{\"jsonrpc\":\"2.0\" \"method\":\"a\"}",
        "{'jsonrpc':'2.0'}",
        "[1 2]", "", "   ",
        "{\"jsonrpc\":\"2.0\",\"metho\\udddd\":\"x\",\"id\":-0}", // a lone surrogate in a name (found by fuzzing)
        "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"\\ud83dx\":1}}",
    })
    void whatIsNotStrictJsonIsAParseErrorAsWithJackson(String frame) {
        assertThat(scanner(utf8(frame))).isEqualTo(PARSE_ERROR).isEqualTo(jackson(utf8(frame)));
    }

    @Test
    void nestingAndNumbersAreLimitedAsJacksonLimitsThem() {
        String ok = "[".repeat(499) + "]".repeat(499);
        String deep = "[".repeat(500) + "]".repeat(500);
        assertThat(scanner(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":" + ok + "}")))
                .isEqualTo(jackson(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":" + ok + "}")))
                .isInstanceOf(RpcNotification.class);
        assertThat(scanner(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":" + deep + "}")))
                .isEqualTo(PARSE_ERROR);
        assertThat(scanner(utf8("[".repeat(1_000_000)))).isEqualTo(PARSE_ERROR);
        String digits = "1".repeat(1001);
        assertThat(scanner(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[" + digits + "]}")))
                .isEqualTo(PARSE_ERROR)
                .isEqualTo(jackson(utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":[" + digits + "]}")));
    }

    @Test
    void objectsAndArraysNestedPastSixtyFourLevelsCloseAsTheyOpened() {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int level = 0; level < 150; level++) {
            open.append("{\"a\":[1,");
            close.insert(0, "],\"b\":2}");
        }
        String params = open + "0" + close;
        byte[] frame = utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":" + params + ",\"id\":1}");
        assertThat(scanner(frame)).isEqualTo(jackson(frame)).isInstanceOf(RpcRequest.class);
        // a closer that does not match its opener, 100 levels down
        String wrong = open + "0" + close.substring(0, 8 * 50) + "}" + close.substring(8 * 50 + 1);
        byte[] bad = utf8("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":" + wrong + ",\"id\":1}");
        assertThat(scanner(bad)).isEqualTo(PARSE_ERROR).isEqualTo(jackson(bad));
    }

    @Test
    void membersAndElementsMatchJackson() {
        RawJson object = RawJson.of("{ \"a\" : [1, {\"b\":2}], \"c\\u0064\":\"x\", \"e\":null }");
        Map<String, RawJson> members = EnvelopeScanner.members(FACTORY.streamReadConstraints(), object);
        assertThat(members).isEqualTo(EnvelopeReader.members(FACTORY, object)).containsKeys("a", "cd", "e");
        RawJson array = RawJson.of("[ 1 ,\"two\", {\"three\":3}, [] ]");
        assertThat(EnvelopeScanner.elements(FACTORY.streamReadConstraints(), array))
                .isEqualTo(EnvelopeReader.elements(FACTORY, array)).hasSize(4);
        assertThat(EnvelopeScanner.members(FACTORY.streamReadConstraints(), RawJson.of("{\"a\":}"))).isEmpty();
    }

    /**
     * Mutations of the corpus (bytes dropped, swapped in, duplicated): wherever Jackson reads the result strictly,
     * the scanner reads the same packet; where they differ, the frame is not valid UTF-8 (which Jackson lets
     * through inside values it skips).
     */
    @Test
    void mutatedFramesDecodeAsJacksonDecodesThemUnlessTheirUtf8IsInvalid() {
        Random random = new Random(20261201);
        byte[] alphabet = utf8("{}[]\":,\\ 0123456789-+.eEtrufalsn\u00e9u");
        int differing = 0;
        int parseErrors = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] mutated = mutate(utf8(CORPUS[random.nextInt(CORPUS.length)]), random, alphabet);
            RpcPacket fast = scanner(mutated);
            RpcPacket slow = jackson(mutated);
            if (fast.equals(PARSE_ERROR)) {
                parseErrors++;
            }
            if (!fast.equals(slow)) {
                differing++;
                assertThat(fast).as(new String(mutated, StandardCharsets.ISO_8859_1)).isEqualTo(PARSE_ERROR);
                assertThat(validUtf8(mutated)).as(new String(mutated, StandardCharsets.ISO_8859_1)).isFalse();
            }
        }
        assertThat(parseErrors).isBetween(3_000, 29_000); // the mutations do reach both outcomes
        assertThat(differing).isLessThan(3_000);
    }

    /** Params of every plain kind, for the one-pass binding below. */
    record Everything(String s, int i, long l, boolean b, double d, Integer boxed, Object any, Map<String, Object> map,
                      List<String> strs, List<Object> objs, RawJson raw) {
    }

    private static final String[] TYPED_CORPUS = {
        "{\"jsonrpc\":\"2.0\",\"method\":\"rec\",\"params\":{\"s\":\"x\u00e9\\u0041\",\"i\":1,\"l\":-9007199254740993,"
                + "\"b\":true,\"d\":1.5,\"boxed\":null,\"any\":{\"k\":[1,\"two\",null]},\"map\":{\"a\":1,\"b\":{\"c\":[]}},"
                + "\"strs\":[\"p\",\"q\"],\"objs\":[1,2.5,\"s\",{}],\"raw\":{\"r\":[1]}},\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"rec\",\"params\":[\"x\",1,2,false,0.5,3,[],{},[],[],1],\"id\":\"a\"}",
        "{ \"method\" : \"rec\" , \"params\" : { \"i\" : 7 , \"zzz\" : {\"deep\":[[[]]]}, \"l\": 8, \"b\": false,"
                + " \"d\": -2.5e3 , \"\\u0073\" : \"esc\" } , \"jsonrpc\" : \"2.0\" }",
        "{\"jsonrpc\":\"2.0\",\"params\":{\"i\":1,\"l\":2,\"b\":true,\"d\":0.1},\"method\":\"rec\",\"id\":3}",
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"rec\",\"params\":{\"i\":1,\"i\":2,\"l\":2,\"b\":true,\"d\":0.1,"
                + "\"map\":{\"a\":1,\"a\":2}}}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"rec\",\"params\":{\"i\":1,\"l\":2,\"b\":true,\"d\":0.1,\"s\":5},\"id\":5}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"rec\",\"params\":{\"i\":1,\"l\":2,\"b\":true,\"d\":0.1},\"result\":1,\"id\":6}",
        "[{\"jsonrpc\":\"2.0\",\"method\":\"rec\",\"params\":{\"i\":1,\"l\":2,\"b\":true,\"d\":0.1,\"strs\":[null]}},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"rec\",\"params\":{},\"id\":7}]",
    };

    /**
     * Params bound in the same pass as the envelope (the router's record types): mutated frames decode to the same
     * packets as without binding, and whatever was bound equals what Jackson binds from the same bytes.
     */
    @Test
    void paramsBoundInTheEnvelopesPassEqualWhatJacksonBinds() {
        RpcCodec codec = RpcCodec.defaults();
        java.util.function.Function<String, Class<?>> types = m -> m.equals("rec") ? Everything.class : null;
        Random random = new Random(20261202);
        byte[] alphabet = utf8("{}[]\":,\\ 0123456789-+.eEtrufalsn\u00e9u");
        int bound = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] frame = utf8(TYPED_CORPUS[random.nextInt(TYPED_CORPUS.length)]);
            byte[] mutated = i < TYPED_CORPUS.length ? utf8(TYPED_CORPUS[i]) : mutate(frame, random, alphabet);
            String shown = new String(mutated, StandardCharsets.ISO_8859_1);
            RpcPacket typed = EnvelopeScanner.read(FACTORY, mutated, 0, mutated.length, types, codec.mapper());
            RpcPacket untyped = scanner(mutated);
            assertThat(typed).as(shown).isEqualTo(untyped);
            List<RpcPacket> packets = typed instanceof RpcBatch batch ? batch.members() : List.of(typed);
            for (RpcPacket packet : packets) {
                RawJson params = packet instanceof RpcRequest r ? r.params()
                        : packet instanceof RpcNotification n ? n.params() : null;
                if (params == null || params.boundType() == null) {
                    continue;
                }
                bound++;
                byte[] copy = params.toByteArray();
                RawJson fresh = RawJson.wrap(copy, 0, copy.length);
                assertThat(params.boundValue()).as(shown)
                        .isEqualTo(new dev.plumb.rpc.RpcParams(fresh, codec).as(Everything.class));
            }
        }
        assertThat(bound).isGreaterThan(1_000); // the mutations leave many frames bindable
    }

    private static byte[] mutate(byte[] frame, Random random, byte[] alphabet) {
        List<Byte> bytes = new ArrayList<>();
        for (byte x : frame) {
            bytes.add(x);
        }
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
            int at = random.nextInt(bytes.size());
            switch (random.nextInt(4)) {
                case 0 -> bytes.remove(at);
                case 1 -> bytes.set(at, alphabet[random.nextInt(alphabet.length)]);
                case 2 -> bytes.add(at, alphabet[random.nextInt(alphabet.length)]);
                default -> bytes.set(at, (byte) random.nextInt(256));
            }
        }
        byte[] mutated = new byte[bytes.size()];
        for (int k = 0; k < mutated.length; k++) {
            mutated[k] = bytes.get(k);
        }
        return mutated;
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
