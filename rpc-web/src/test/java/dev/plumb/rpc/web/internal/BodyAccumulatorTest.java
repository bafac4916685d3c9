package dev.plumb.rpc.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Body collection with a limit, and the discarding drain a server uses before answering 413. */
@Timeout(10)
class BodyAccumulatorTest {

    private static BodyAccumulator add(BodyAccumulator acc, int length) {
        return acc.add(length, (from, target, off, len) -> Arrays.fill(target, off, off + len, (byte) 'x'));
    }

    @Test
    void aBodyWithinTheLimitIsKept() {
        BodyAccumulator acc = add(add(new BodyAccumulator(10, -1, 100), 4), 6);
        assertThat(acc.overflowed()).isFalse();
        assertThat(new String(acc.toByteArray())).isEqualTo("x".repeat(10));
    }

    @Test
    void withoutADrainGoingOverTheLimitThrowsAtOnce() {
        BodyAccumulator acc = add(new BodyAccumulator(10, -1), 8);
        assertThatThrownBy(() -> add(acc, 3)).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void withADrainTheRestIsCountedNotKeptUntilTheDrainIsUsedUp() {
        BodyAccumulator acc = add(add(new BodyAccumulator(10, -1, 100), 8), 50);
        assertThat(acc.overflowed()).isTrue();
        assertThatThrownBy(acc::toByteArray).isInstanceOf(BodyTooLargeException.class);
        add(acc, 52); // 110 in all: the limit plus the whole drain
        assertThatThrownBy(() -> add(acc, 1)).isInstanceOf(BodyTooLargeException.class);
    }
}
