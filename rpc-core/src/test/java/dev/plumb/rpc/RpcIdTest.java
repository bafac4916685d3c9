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
}
