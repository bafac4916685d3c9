package dev.plumb.bench.core;

import dev.plumb.bench.pipe.PipeBench;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The in-memory round trip measured as whole-process CPU time per call (all threads, GC and JIT included), which
 * a busy machine skews far less than wall-clock throughput. Not JMH; run it with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.core.PeerCpuTimeCheck [rounds]}. Each
 * round runs 100,000 calls of each kind, the kinds alternating, so load changes hit them alike; the report is the
 * median over the measured rounds and their min–max.
 */
public final class PeerCpuTimeCheck {

    /**
     * Calls per round: the kernel here advances a running thread's schedstat in 4 ms ticks, so a round must last
     * long enough (about 0.2 s) for a tick to be a small part of it.
     */
    private static final int CALLS_PER_ROUND = 100_000;
    private static final int WARMUP_ROUNDS = 5;
    private static final int DEFAULT_ROUNDS = 10;

    private PeerCpuTimeCheck() {
    }

    /**
     * Runs blocking and pipelined calls in alternating rounds and prints, for each, the median CPU and wall µs per
     * call with the min–max of the rounds; the optional argument is the number of measured rounds (default 10).
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
        // all threads of this process (GC and JIT included) in nanoseconds from /proc/self/task/*/schedstat; the
        // JVM's getProcessCpuTime() counts 10 ms ticks here
        PipeBench.CpuClock clock = new PipeBench.CpuClock(ProcessHandle.current().pid());
        PeerRoundTripBenchmark peers = new PeerRoundTripBenchmark();
        peers.connect();
        String[] names = {"callBlocking", "callTypedBlocking", "callPipelined (256 in flight)"};
        double[][] cpu = new double[names.length][rounds];
        double[][] wall = new double[names.length][rounds];
        for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
            for (int k = 0; k < names.length; k++) {
                clock.start();
                long w0 = System.nanoTime();
                if (k == 2) {
                    for (int i = 0; i < CALLS_PER_ROUND / 1000; i++) {
                        peers.callPipelined();
                    }
                } else {
                    for (int i = 0; i < CALLS_PER_ROUND; i++) {
                        Object r = k == 0 ? peers.callBlocking() : peers.callTypedBlocking();
                        if (r == null) {
                            throw new IllegalStateException("no result");
                        }
                    }
                }
                long w1 = System.nanoTime();
                long cpuNanos = clock.elapsed();
                if (round >= WARMUP_ROUNDS) {
                    cpu[k][round - WARMUP_ROUNDS] = cpuNanos / 1e3 / CALLS_PER_ROUND;
                    wall[k][round - WARMUP_ROUNDS] = (w1 - w0) / 1e3 / CALLS_PER_ROUND;
                }
            }
        }
        peers.close();
        System.out.printf(Locale.ROOT, "median of %d rounds of %,d calls (after %d warm-up rounds), "
                + "(min-max) of those rounds:%n", rounds, CALLS_PER_ROUND, WARMUP_ROUNDS);
        for (int k = 0; k < names.length; k++) {
            Arrays.sort(cpu[k]);
            Arrays.sort(wall[k]);
            System.out.printf(Locale.ROOT, "%-32s CPU %6.2f us/call (%.2f-%.2f)   wall %6.2f us/call (%.2f-%.2f)%n",
                    names[k], median(cpu[k]), cpu[k][0], cpu[k][rounds - 1], median(wall[k]), wall[k][0],
                    wall[k][rounds - 1]);
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
