package dev.plumb.bench.pipe;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.pipe.PipeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plumb on both ends of the pipe: a {@link PipeTransport} + {@link RpcPeer} client (what coworker uses) against
 * the {@link PlumbEchoServer} on {@code immediate()}; same calls, windows and CPU measure as {@link PipeBench}.
 *
 * <p>Run: {@code java [-Dbench.noTimeout=true] -cp benchmarks/target/benchmarks.jar
 * dev.plumb.bench.pipe.PeerClientBench [calls1 callsN rounds]}.
 */
public final class PeerClientBench {

    private static final String FILLER = "x".repeat(80);

    private PeerClientBench() {
    }

    /** Prints one Markdown table row per window. */
    public static void main(String[] args) throws Exception {
        int calls1 = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int callsN = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "-Xmx512m", "-XX:+UseSerialGC",
                PlumbEchoServer.class.getName(), "--immediate"));
        PipeConnection pipe = PipeTransport.command(argv).name("bench").connect().block();
        // -Dbench.noTimeout=true: no per-call timeout, to show what the timeout timer costs
        Duration timeout = Boolean.getBoolean("bench.noTimeout") ? Duration.ZERO : RpcPeer.DEFAULT_TIMEOUT;
        RpcPeer peer = RpcPeer.builder(pipe).timeout(timeout).connect();
        try {
            for (int w = 0; w < 3; w++) {
                run(peer, 256, 100_000);
                run(peer, 1, 10_000);
            }
            System.out.println("| client → server | window | calls | calls/s | p50 µs | p90 µs | p99 µs "
                    + "| server CPU µs/call |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (int window : new int[] {1, 256}) {
                int calls = window == 1 ? calls1 : callsN;
                PipeBench.Result best = null;
                for (int r = 0; r < rounds; r++) {
                    long cpu0 = PipeBench.cpuNanos(pipe.pid());
                    PipeBench.Run run = run(peer, window, calls);
                    long cpu1 = PipeBench.cpuNanos(pipe.pid());
                    PipeBench.Result res = run.result("Plumb RpcPeer over PipeTransport → StdioServer immediate()",
                            window, (cpu1 - cpu0) / 1000.0 / calls);
                    if (best == null || res.callsPerSecond() > best.callsPerSecond()) {
                        best = res;
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %d | %,.0f | %.1f | %.1f | %.1f | %.2f |%n",
                        best.server(), best.window(), best.calls(), best.callsPerSecond(), best.p50(), best.p90(),
                        best.p99(), best.cpuMicrosPerCall());
            }
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
