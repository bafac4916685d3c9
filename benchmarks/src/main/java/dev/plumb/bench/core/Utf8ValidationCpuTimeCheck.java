package dev.plumb.bench.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * {@link Utf8ValidationBenchmark}'s cases timed by one thread's CPU time, which a busy machine skews far less than
 * JMH's wall-clock time: the cases alternate in short rounds and the median and spread of 15 rounds are printed.
 * Also the sample request's decode, to put the check's share in proportion. Run it with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.core.Utf8ValidationCpuTimeCheck}.
 */
public final class Utf8ValidationCpuTimeCheck {

    private static final int OPS_PER_ROUND = 200_000;
    private static final int WARMUP_ROUNDS = 10;
    private static final int ROUNDS = 15;

    private static volatile Object sink;

    private Utf8ValidationCpuTimeCheck() {
    }

    /** Runs the check and prints median, minimum and maximum CPU ns/op of each case. */
    public static void main(String[] args) {
        Utf8ValidationBenchmark b = new Utf8ValidationBenchmark();
        b.setUp();
        PlumbCodecBenchmark codec = new PlumbCodecBenchmark();
        String[] names = {"ascii100", "sampleRequest (152 B)", "mixed4k", "mixed4kJdkDecode", "decodeRequest (152 B)"};
        @SuppressWarnings("unchecked")
        Supplier<Object>[] ops = new Supplier[] {b::ascii100, b::sampleRequest, b::mixed4k, b::mixed4kJdkDecode,
                codec::decodeRequest};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] cpu = new double[ops.length][ROUNDS];
        for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            for (int i = 0; i < ops.length; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int n = 0; n < OPS_PER_ROUND; n++) {
                    sink = ops[i].get();
                }
                long t1 = mx.getCurrentThreadCpuTime();
                if (round >= 0) {
                    cpu[i][round] = (t1 - t0) / (double) OPS_PER_ROUND;
                }
            }
        }
        for (int i = 0; i < ops.length; i++) {
            double[] r = cpu[i].clone();
            Arrays.sort(r);
            System.out.printf("%-26s median %9.1f ns/op   (min %9.1f, max %9.1f)%n", names[i], r[ROUNDS / 2], r[0],
                    r[ROUNDS - 1]);
        }
    }
}
