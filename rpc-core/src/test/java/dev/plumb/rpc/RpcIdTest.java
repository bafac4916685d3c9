package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RpcIdTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 9, 10, 99, 100, -1, -9, -10, 123456789, Long.MAX_VALUE, Long.MIN_VALUE})
    void aNumericIdIsWrittenAsItsDecimalDigits(long value) {
        assertThat(new String(RpcId.of(value).json(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
    }

    /** An id with an exponent too large for BigDecimal is still a JSON number: it is kept verbatim and echoed. */
    @org.junit.jupiter.api.Test
    void anIdWithAHugeExponentIsKeptVerbatimAndComparedByText() {
        byte[] frame = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1e99999999999}".getBytes(StandardCharsets.UTF_8);
        RpcRequest request = (RpcRequest) RpcCodec.defaults().decode(frame);
        assertThat(request.id().toString()).isEqualTo("1e99999999999");
        assertThat(request.id()).isEqualTo(RpcId.ofNumberText("1e99999999999"))
                .isNotEqualTo(RpcId.ofNumberText("1e-99999999999"))
                .hasSameHashCodeAs(RpcId.ofNumberText("1e99999999999"));
        assertThat(new String(RpcCodec.defaults().encodeResult(request.id(), 1), StandardCharsets.UTF_8))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1e99999999999}");
    }

    @org.junit.jupiter.api.Test
    void anIdWhoseExponentNoDecimalCanHoldIsStillAnIdEchoedAndMatchedByItsText() {
        // found by HttpBodyFuzzTest: such an id threw NumberFormatException out of RpcCodec.decode
        String huge = "1e" + "8".repeat(60) + "400";
        RpcId id = RpcId.ofNumberText(huge);
        assertThat(new String(id.json(), StandardCharsets.US_ASCII)).isEqualTo(huge);
        assertThat(id).isEqualTo(RpcId.ofNumberText(huge)).hasSameHashCodeAs(RpcId.ofNumberText(huge))
                .isNotEqualTo(RpcId.ofNumberText("1e2147483648")).isNotEqualTo(RpcId.of(1));
        byte[] frame = ("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":" + huge + "}").getBytes(StandardCharsets.US_ASCII);
        assertThat(RpcCodec.defaults().decode(frame)).isInstanceOfSatisfying(RpcRequest.class,
                r -> assertThat(r.id()).isEqualTo(id));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RpcId.ofNumberText("1e"))
                .isInstanceOf(NumberFormatException.class);
    }

    /** Found by fuzzing the merged codec: ids are answered as they were written, lone surrogates and -0 included. */
    @org.junit.jupiter.api.Test
    void idsAreEchoedAsWrittenEvenWithALoneSurrogateOrMinusZero() {
        RpcRouter router = RpcRouter.builder().build();
        for (String id : new String[] {"-0", "\"\\udddd\"", "\"\\ud83d\\ude0d\\ude3dFF \""}) {
            byte[] frame = ("{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":" + id + "}")
                    .getBytes(StandardCharsets.UTF_8);
            String reply = new String(router.respond(frame).block(), StandardCharsets.UTF_8);
            tools.jackson.databind.ObjectMapper json = RpcCodec.defaults().mapper();
            assertThat(json.readTree(reply).get("id")).isEqualTo(json.readTree(id));
            assertThat(reply).contains("-32601");
            if (id.equals("-0")) {
                assertThat(reply).endsWith("\"id\":-0}"); // not 0: the id as it was written
            }
        }
    }
}
