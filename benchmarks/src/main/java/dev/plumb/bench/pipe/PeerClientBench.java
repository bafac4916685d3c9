package dev.plumb.bench.pipe;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.pipe.PipeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plumb on both ends of the pipe: a {@link PipeTransport} + {@link RpcPeer} client (what coworker uses) against
 * the {@link PlumbEchoServer} at its default settings; same calls, windows and CPU measure as {@link PipeBench},
 * and the server gets the same JVM command line ({@link PipeBench#serverJvm()}).
 *
 * <p>Run: {@code java [-Dbench.noTimeout=true] [-Dbench.serverArgs=--immediate] -cp benchmarks/target/benchmarks.jar
 * dev.plumb.bench.pipe.PeerClientBench [calls1 callsN rounds]}; prints the median of the rounds with their min–max.
 */
public final class PeerClientBench {

    private static final String FILLER = PipeBench.FILLER;

    private PeerClientBench() {
    }

    /** Prints one Markdown table row per window. */
    public static void main(String[] args) throws Exception {
        int calls1 = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int callsN = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<String> argv = new ArrayList<>(PipeBench.serverJvm());
        argv.add(PlumbEchoServer.class.getName());
        String serverArgs = System.getProperty("bench.serverArgs", "").trim();
        if (!serverArgs.isEmpty()) {
            argv.addAll(List.of(serverArgs.split("\\s+")));
        }
        PipeConnection pipe = PipeTransport.command(argv).name("bench").connect().block();
        // -Dbench.noTimeout=true: no per-call timeout, to show what the timeout timer costs
        Duration timeout = Boolean.getBoolean("bench.noTimeout") ? Duration.ZERO : RpcPeer.DEFAULT_TIMEOUT;
        RpcPeer peer = RpcPeer.builder(pipe).timeout(timeout).connect();
        String name = "RpcPeer" + (timeout.isZero() ? ", no timeout" : "") + " → StdioServer"
                + (serverArgs.isEmpty() ? ", default" : " " + serverArgs);
        PipeBench.CpuClock cpu = new PipeBench.CpuClock(pipe.pid());
        try {
            for (int w = 0; w < 3; w++) {
                run(peer, 256, 100_000);
                run(peer, 1, 10_000);
            }
            Map<Integer, List<PipeBench.Result>> byWindow = new TreeMap<>();
            for (int r = 0; r < rounds; r++) {
                for (int window : new int[] {1, 256}) {
                    int calls = window == 1 ? calls1 : callsN;
                    cpu.start();
                    PipeBench.Run run = run(peer, window, calls);
                    PipeBench.Result res = run.result(name, window, cpu.elapsed() / 1000.0 / calls);
                    System.err.printf(Locale.ROOT, "round %d window %d %,10.0f calls/s p50 %8.1f µs cpu %.2f µs%n",
                            r, window, res.callsPerSecond(), res.p50(), res.cpuMicrosPerCall());
                    byWindow.computeIfAbsent(window, k -> new ArrayList<>()).add(res);
                }
            }
            Map<String, List<PipeBench.Result>> rows = new LinkedHashMap<>();
            byWindow.forEach((window, results) -> rows.put(Integer.toString(window), results));
            PipeBench.printTable(rows, rounds);
        } finally {
            peer.dispose();
            pipe.stop(Duration.ofSeconds(2), Duration.ofSeconds(2)).block();
        }
    }

    private static PipeBench.Run run(RpcPeer peer, int window, int calls) {
        long[] latency = new long[calls];
        long start = System.nanoTime();
        Flux.range(0, calls)
                .flatMap(i -> Mono.defer(() -> {
                    long t0 = System.nanoTime();
                    return peer.callRaw("echo", Map.of("n", i, "s", FILLER))
                            .doOnNext(r -> latency[i] = System.nanoTime() - t0);
                }), window)
                .blockLast();
        return new PipeBench.Run(System.nanoTime() - start, latency);
    }
}
