package dev.plumb.bench.core;

import dev.plumb.bench.pipe.PipeBench;
import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcService;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a typed proxy call costs over the same call made by name: two peers over {@link InMemoryTransport}, the same
 * {@code echo} of a record, 256 calls in flight, rounds of raw and proxy calls alternating; whole-process CPU per
 * call (all threads, from {@code /proc/self/task/*}{@code /schedstat}). Run it with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.core.ProxyCostCheck [rounds]}.
 */
public final class ProxyCostCheck {

    private static final int CALLS = 20_000;
    private static final int IN_FLIGHT = 256;
    private static final int WARMUP_ROUNDS = 10;

    /** The service both ways of calling reach. */
    @RpcService
    public interface Echo {
        /** Returns its params. */
        Mono<SampleMessages.ClaimParams> echo(SampleMessages.ClaimParams params);
    }

    private ProxyCostCheck() {
    }

    /** Runs raw and proxy rounds alternately and prints the median CPU µs per call of each, with (min-max). */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = RpcPeer.builder(pair.right())
                .router(RpcRouter.builder().service(Echo.class, Mono::just).build()).connect();
        RpcPeer client = RpcPeer.builder(pair.left()).connect();
        Echo proxy = client.proxy(Echo.class);
        PipeBench.CpuClock clock = new PipeBench.CpuClock(ProcessHandle.current().pid());
        double[] raw = new double[rounds];
        double[] typed = new double[rounds];
        for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
            for (int k = 0; k < 2; k++) {
                boolean viaProxy = k == 1;
                clock.start();
                long n = Flux.range(0, CALLS)
                        .flatMap(i -> viaProxy ? proxy.echo(SampleMessages.PARAMS)
                                : client.call("echo", SampleMessages.PARAMS, SampleMessages.ClaimParams.class), IN_FLIGHT)
                        .count().block(Duration.ofSeconds(60));
                if (n != CALLS) {
                    throw new IllegalStateException("only " + n + " answers");
                }
                double perCall = clock.elapsed() / 1e3 / CALLS;
                if (round >= WARMUP_ROUNDS) {
                    (viaProxy ? typed : raw)[round - WARMUP_ROUNDS] = perCall;
                }
            }
        }
        client.dispose();
        server.dispose();
        Arrays.sort(raw);
        Arrays.sort(typed);
        double r = median(raw);
        double t = median(typed);
        System.out.printf(Locale.ROOT, "median of %d rounds of %,d calls, %d in flight, (min-max):%n", rounds, CALLS,
                IN_FLIGHT);
        System.out.printf(Locale.ROOT, "call by name (record result)  CPU %5.2f us/call (%.2f-%.2f)%n", r, raw[0],
                raw[rounds - 1]);
        System.out.printf(Locale.ROOT, "typed proxy                   CPU %5.2f us/call (%.2f-%.2f)%n", t, typed[0],
                typed[rounds - 1]);
        System.out.printf(Locale.ROOT, "proxy / by name: %.2fx (target <= 1.15x)%n", t / r);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
