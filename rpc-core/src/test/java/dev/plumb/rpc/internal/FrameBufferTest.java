package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames built in pieces (segments, shared slices, shared strings) come out whole and exact. */
class FrameBufferTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aSmallFrameIsOneArray() {
        FrameBuffer out = FrameBuffer.acquire();
        try {
            out.write('{');
            out.appendAscii("\"a\":");
            out.appendLong(42);
            out.write('}');
            assertThat(out.size()).isEqualTo(8);
            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("{\"a\":42}");
        } finally {
            out.release();
        }
    }

    @Test
    void numbersAndPlainStringsAreWrittenAsJsonWritesThem() {
        long[] numbers = {0, 9, 10, -1, -10, 123456, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, 1_000_000_000_000L};
        FrameBuffer out = FrameBuffer.acquire();
        try {
            StringBuilder expected = new StringBuilder();
            for (long n : numbers) {
                out.appendLong(n);
                out.write(',');
                expected.append(n).append(',');
            }
            assertThat(out.appendQuotedPlainAscii("plain text")).isTrue();
            assertThat(out.appendQuotedPlainAscii("caf\u00e9")).isFalse();
            assertThat(out.appendQuotedPlainAscii("a \"quote\"")).isFalse();
            assertThat(out.appendQuotedPlainAscii("tab\t")).isFalse();
            assertThat(out.appendQuotedPlainAscii("")).isTrue();
            expected.append("\"plain text\"\"\"");
            assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        } finally {
            out.release();
        }
    }

    @Test
    void aLargeFrameWrittenPiecemealComesOutWhole() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        FrameBuffer out = FrameBuffer.acquire();
        try {
            byte[] data = random(3 * 1024 * 1024 + 17, 1);
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + (at % 9000));
                out.write(data, at, n);
                expected.write(data, at, n);
                at += n;
                out.write('x');
                expected.write('x');
            }
            assertThat(out.size()).isEqualTo(expected.size());
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        } finally {
            out.release();
        }
    }

    @Test
    void sharedSlicesAndStringsKeepTheirPlaceAmongWrittenBytes() {
        byte[] big = random(2 * FrameBuffer.MAX_SEGMENT, 2);
        String text = "abc".repeat(FrameBuffer.SHARE_AT_LEAST); // long enough to be kept by reference
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        FrameBuffer out = FrameBuffer.acquire();
        try {
            out.write('[');
            expected.write('[');
            out.appendShared(big, 5, big.length - 10);
            expected.write(big, 5, big.length - 10);
            out.appendShared(big, 0, 3); // short: copied
            expected.write(big, 0, 3);
            out.appendAsciiShared(text);
            expected.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
            out.appendAsciiShared("short");
            expected.writeBytes("short".getBytes(StandardCharsets.US_ASCII));
            byte[] more = random(200_000, 3);
            out.write(more, 0, more.length); // after shared pieces: a new segment
            expected.write(more, 0, more.length);
            out.appendShared(big, 0, big.length);
            expected.write(big, 0, big.length);
            out.appendLong(-7);
            expected.writeBytes("-7".getBytes(StandardCharsets.US_ASCII));
            out.write(']');
            expected.write(']');
            assertThat(out.size()).isEqualTo(expected.size());
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
        } finally {
            out.release();
        }
    }

    @Test
    void aReleasedBufferComesBackEmpty() {
        FrameBuffer out = FrameBuffer.acquire();
        byte[] big = random(100_000, 4);
        out.appendShared(big, 0, big.length);
        out.write('!');
        assertThat(out.toByteArray()).hasSize(100_001);
        out.release();
        FrameBuffer again = FrameBuffer.acquire();
        try {
            assertThat(again.size()).isZero();
            again.write('z');
            assertThat(again.toByteArray()).containsExactly('z');
        } finally {
            again.release();
        }
    }
}
