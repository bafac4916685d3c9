package dev.plumb.bench.core;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The in-memory round trip measured as whole-process CPU time per call (all threads, GC and JIT included), which
 * a busy machine skews far less than wall-clock throughput. Not JMH; run it with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.core.PeerCpuTimeCheck}.
 */
public final class PeerCpuTimeCheck {

    private static final int CALLS_PER_ROUND = 20_000;
    private static final int WARMUP_ROUNDS = 10;
    private static final int ROUNDS = 10;

    private PeerCpuTimeCheck() {
    }

    /** Runs blocking and pipelined calls in alternating rounds and prints median CPU and wall µs per call. */
    public static void main(String[] args) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        PeerRoundTripBenchmark peers = new PeerRoundTripBenchmark();
        peers.connect();
        String[] names = {"callBlocking", "callTypedBlocking", "callPipelined (256 in flight)"};
        double[][] cpu = new double[names.length][ROUNDS];
        double[][] wall = new double[names.length][ROUNDS];
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            for (int k = 0; k < names.length; k++) {
                long c0 = os.getProcessCpuTime();
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
                if (round >= WARMUP_ROUNDS) {
                    cpu[k][round - WARMUP_ROUNDS] = (os.getProcessCpuTime() - c0) / 1e3 / CALLS_PER_ROUND;
                    wall[k][round - WARMUP_ROUNDS] = (System.nanoTime() - w0) / 1e3 / CALLS_PER_ROUND;
                }
            }
        }
        peers.close();
        for (int k = 0; k < names.length; k++) {
            Arrays.sort(cpu[k]);
            Arrays.sort(wall[k]);
            System.out.printf("%-32s CPU %6.1f us/call (min %.1f)   wall %6.1f us/call (min %.1f)%n", names[k],
                    cpu[k][ROUNDS / 2], cpu[k][0], wall[k][ROUNDS / 2], wall[k][0]);
        }
    }
}
