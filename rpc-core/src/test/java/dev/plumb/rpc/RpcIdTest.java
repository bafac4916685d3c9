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
}
