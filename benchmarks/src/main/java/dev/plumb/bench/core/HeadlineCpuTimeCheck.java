package dev.plumb.bench.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A cross-check of the headline ratio that a busy machine cannot skew much: it alternates Plumb's and LSP4J's
 * decode+encode in short rounds on one thread and compares the thread's CPU time per operation (time spent
 * descheduled is not counted) and bytes allocated per operation. Not JMH; run it with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.core.HeadlineCpuTimeCheck}.
 */
public final class HeadlineCpuTimeCheck {

    private static final int OPS_PER_ROUND = 100_000;
    private static final int WARMUP_ROUNDS = 10;
    private static final int ROUNDS = 15;

    private static volatile Object sink;

    private HeadlineCpuTimeCheck() {
    }

    /** Runs the check and prints median CPU ns/op, allocated bytes/op and the ratios. */
    public static void main(String[] args) {
        PlumbCodecBenchmark plumb = new PlumbCodecBenchmark();
        plumb.check();
        Lsp4jCodecBenchmark lsp4j = new Lsp4jCodecBenchmark();
        lsp4j.setUp();
        CodecCostBreakdownBenchmark sketch = new CodecCostBreakdownBenchmark();
        RouterRespondBenchmark router = new RouterRespondBenchmark();
        router.setUp();
        String[] names = {"plumb decodeEncodeTyped", "plumb decodeEncodeTyped, single pass (decode with params types)", "plumb decodeEncodeRaw", "lsp4j decodeEncode",
                "lsp4j decodeEncodeFromString", "sketch: thread-local pool", "sketch: single pass",
                "sketch: single pass + TL pool", "part: decodeRequest", "part: bindParams (record)",
                "part: bindParams (field class)", "part: bindParams (as router)", "part: encodeResultTyped",
                "part: jackson parser open+close", "part: jackson token walk", "router respondTyped"};
        @SuppressWarnings("unchecked")
        Supplier<Object>[] ops = new Supplier[] {plumb::decodeEncodeTyped, plumb::decodeEncodeTypedSinglePass, plumb::decodeEncodeRaw,
                lsp4j::decodeEncode, lsp4j::decodeEncodeFromString, sketch::decodeEncodeTypedThreadLocalPool,
                sketch::decodeEncodeTypedSinglePass, sketch::decodeEncodeTypedSinglePassThreadLocalPool,
                plumb::decodeRequest, sketch::bindParams, sketch::bindParamsToFieldClass, sketch::bindParamsAsRouter,
                sketch::encodeResultTyped, sketch::jacksonParserOpenClose, sketch::jacksonTokenWalk,
                router::respondTyped};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        long tid = Thread.currentThread().getId();
        double[][] cpu = new double[ops.length][ROUNDS];
        double[] bytes = new double[ops.length];
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
            for (int k = 0; k < ops.length; k++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long b0 = alloc.getThreadAllocatedBytes(tid);
                for (int i = 0; i < OPS_PER_ROUND; i++) {
                    sink = ops[k].get();
                }
                long c1 = mx.getCurrentThreadCpuTime();
                long b1 = alloc.getThreadAllocatedBytes(tid);
                if (round >= WARMUP_ROUNDS) {
                    cpu[k][round - WARMUP_ROUNDS] = (c1 - c0) / (double) OPS_PER_ROUND;
                    bytes[k] = (b1 - b0) / (double) OPS_PER_ROUND;
                }
            }
        }
        double[] median = new double[ops.length];
        for (int k = 0; k < ops.length; k++) {
            double[] sorted = cpu[k].clone();
            Arrays.sort(sorted);
            median[k] = sorted[ROUNDS / 2];
            System.out.printf("%-30s %8.0f CPU ns/op (min %.0f, max %.0f) %8.0f B/op%n", names[k], median[k],
                    sorted[0], sorted[ROUNDS - 1], bytes[k]);
        }
        int lsp4jBytes = indexOf(names, "lsp4j decodeEncode");
        int lsp4jString = indexOf(names, "lsp4j decodeEncodeFromString");
        for (int k = 0; k < ops.length; k++) {
            if (k != lsp4jBytes && k != lsp4jString && !names[k].startsWith("part:")) {
                System.out.printf("%s vs lsp4j (bytes in/out): %.2fx, bytes ratio %.2f; vs lsp4j from String: %.2fx%n",
                        names[k], median[lsp4jBytes] / median[k], bytes[k] / bytes[lsp4jBytes], median[lsp4jString] / median[k]);
            }
        }
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
