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
}
