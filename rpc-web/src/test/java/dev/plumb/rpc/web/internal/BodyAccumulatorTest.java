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

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    /** Adds {@code body} in chunks of {@code chunk} bytes, each copied through the chunk-relative offset. */
    private static BodyAccumulator addAll(BodyAccumulator acc, byte[] body, int... chunks) {
        int at = 0;
        for (int i = 0; at < body.length; i++) {
            int n = Math.min(chunks[i % chunks.length], body.length - at);
            int start = at;
            acc.add(n, (from, target, off, len) -> System.arraycopy(body, start + from, target, off, len));
            at += n;
        }
        return acc;
    }

    @Test
    void anAnnouncedBodyIsKeptInOneArrayOfItsSize() {
        byte[] body = data(1_000_000);
        BodyAccumulator acc = addAll(new BodyAccumulator(1 << 24, body.length, 100), body, 8192);
        byte[] out = acc.toByteArray();
        assertThat(out).isEqualTo(body);
        assertThat(acc.toByteArray()).isSameAs(out); // the array it collected into: no copy
    }

    @Test
    void anUnannouncedBodyIsCollectedInSegmentsAndComesOutWhole() {
        byte[] body = data(3 * BodyAccumulator.MAX_SEGMENT + 11);
        for (int[] chunks : new int[][] {{8191}, {60_000, 300_000}, {1, 70_000}, {body.length}}) {
            BodyAccumulator acc = addAll(new BodyAccumulator(1 << 24, -1, 100), body, chunks);
            assertThat(acc.overflowed()).isFalse();
            assertThat(acc.toByteArray()).as("chunks %s", Arrays.toString(chunks)).isEqualTo(body);
        }
    }

    @Test
    void aBodyLongerThanAnnouncedStillComesOutWhole() {
        byte[] body = data(200_000);
        assertThat(addAll(new BodyAccumulator(1 << 24, 100_000, 0), body, 4096).toByteArray()).isEqualTo(body);
    }

    @Test
    void theLimitHoldsForSegmentedBodies() {
        byte[] body = data(300_000);
        BodyAccumulator acc = addAll(new BodyAccumulator(299_999, -1, 10), body, 8192);
        assertThat(acc.overflowed()).isTrue();
        assertThat(acc.outOfMemory()).isFalse();
    }
}
