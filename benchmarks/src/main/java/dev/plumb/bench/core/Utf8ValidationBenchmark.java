package dev.plumb.bench.core;

import dev.plumb.rpc.internal.Utf8Validation;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The strict UTF-8 check every decoded frame now passes ({@code Utf8Validation}): a 100-character ASCII string, the
 * 152-byte sample request, and 4 KiB of mixed text (ASCII with é, CJK and emoji), with the JDK's own decoding of the
 * same bytes into a {@code String} for scale.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Utf8ValidationBenchmark {

    private byte[] ascii100;
    private byte[] mixed4k;

    /** Builds the inputs and checks that they are valid, so that no benchmark measures an early exit. */
    @Setup
    public void setUp() {
        ascii100 = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);
        String piece = "The quick brown fox jumps over the lazy dog; café, 日本語のテキスト, 😀 ok. ";
        StringBuilder sb = new StringBuilder();
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < 4096) {
            sb.append(piece);
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        int end = 4096;
        while ((b[end] & 0xC0) == 0x80) {
            end--; // cut on a character boundary
        }
        mixed4k = java.util.Arrays.copyOf(b, end);
        for (byte[] input : new byte[][] {ascii100, mixed4k, SampleMessages.REQUEST}) {
            if (!Utf8Validation.isValid(input, 0, input.length)) {
                throw new IllegalStateException("input not valid UTF-8");
            }
        }
    }

    /** 100 ASCII bytes. */
    @Benchmark
    public boolean ascii100() {
        return Utf8Validation.isValid(ascii100, 0, ascii100.length);
    }

    /** The 152-byte sample request (all ASCII): the cost added to each decode. */
    @Benchmark
    public boolean sampleRequest() {
        return Utf8Validation.isValid(SampleMessages.REQUEST, 0, SampleMessages.REQUEST.length);
    }

    /** About 4 KiB of mixed text. */
    @Benchmark
    public boolean mixed4k() {
        return Utf8Validation.isValid(mixed4k, 0, mixed4k.length);
    }

    /** For scale: the JDK decoding the same 4 KiB into a String (lenient, and allocating). */
    @Benchmark
    public String mixed4kJdkDecode() {
        return new String(mixed4k, StandardCharsets.UTF_8);
    }
}
