package dev.plumb.bench.core;

import dev.plumb.bench.core.SampleMessages.ClaimParams;
import dev.plumb.bench.pipe.PipeBench;
import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.observation.RpcObservation;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What Micrometer Observation costs a peer: the in-memory round trip of {@link PeerRoundTripBenchmark} as CPU time
 * per call (all threads of the process) with no observation filters, with the filters on a no-op registry (what an
 * application that installs them but turns observation off pays), and with the filters on a registry recording
 * timers ({@code DefaultMeterObservationHandler} on a {@code SimpleMeterRegistry}). Rounds of 100,000 calls alternate
 * between the three, so load changes hit them alike; the report is the median and min–max of the measured rounds.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.core.ObservationCostCheck [rounds]}.
 */
public final class ObservationCostCheck {

    /** Long enough (about 0.2 s or more) that the kernel's 4 ms schedstat tick is a small part of a round. */
    private static final int CALLS_PER_ROUND = 100_000;
    private static final int WARMUP_ROUNDS = 4;
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private ObservationCostCheck() {
    }

    /** A client and a server peer, observed through {@code registry} (none when {@code null}). */
    private record Pair(RpcPeer client, RpcPeer server) {
        static Pair connect(ObservationRegistry registry) {
            InMemoryTransport.Pair pair = InMemoryTransport.pair();
            RpcRouter.Builder router = RpcRouter.builder();
            RpcPeer.Builder client = RpcPeer.builder(pair.left());
            if (registry != null) {
                router = router.filter(RpcObservation.serverFilter(registry));
                client = client.filter(RpcObservation.clientFilter(registry));
            }
            RpcPeer server = RpcPeer.builder(pair.right())
                    .router(router.method("echo", ClaimParams.class, Mono::just).build()).connect();
            return new Pair(client.connect(), server);
        }

        void close() {
            client.dispose();
            server.dispose();
        }
    }

    /** Runs the rounds and prints the medians; the optional argument is the number of measured rounds (10). */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        PipeBench.CpuClock clock = new PipeBench.CpuClock(ProcessHandle.current().pid());
        ObservationRegistry recording = ObservationRegistry.create();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        recording.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        String[] names = {"no observation filters", "filters, no-op registry", "filters, recording timers"};
        Pair[] pairs = {Pair.connect(null), Pair.connect(ObservationRegistry.NOOP), Pair.connect(recording)};
        String[] kinds = {"blocking", "pipelined"};
        double[][][] cpu = new double[pairs.length][kinds.length][rounds];
        for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
            for (int kind = 0; kind < kinds.length; kind++) {
                for (int k = 0; k < pairs.length; k++) {
                    RpcPeer client = pairs[k].client();
                    clock.start();
                    if (kind == 0) {
                        for (int i = 0; i < CALLS_PER_ROUND; i++) {
                            if (client.call("echo", SampleMessages.PARAMS, ClaimParams.class).block(LIMIT) == null) {
                                throw new IllegalStateException("no result");
                            }
                        }
                    } else {
                        long n = Flux.range(0, CALLS_PER_ROUND)
                                .flatMap(i -> client.call("echo", SampleMessages.PARAMS, ClaimParams.class), 256)
                                .count().block(LIMIT);
                        if (n != CALLS_PER_ROUND) {
                            throw new IllegalStateException(n + " results");
                        }
                    }
                    long nanos = clock.elapsed();
                    if (round >= WARMUP_ROUNDS) {
                        cpu[k][kind][round - WARMUP_ROUNDS] = nanos / 1e3 / CALLS_PER_ROUND;
                    }
                }
            }
        }
        for (Pair p : pairs) {
            p.close();
        }
        System.out.printf(Locale.ROOT, "CPU us per call, median of %d rounds of %,d calls (min-max):%n", rounds,
                CALLS_PER_ROUND);
        for (int kind = 0; kind < kinds.length; kind++) {
            for (int k = 0; k < pairs.length; k++) {
                double[] c = cpu[k][kind];
                Arrays.sort(c);
                double median = rounds % 2 == 1 ? c[rounds / 2] : (c[rounds / 2 - 1] + c[rounds / 2]) / 2;
                System.out.printf(Locale.ROOT, "%-10s %-28s %6.2f (%.2f-%.2f)%n", kinds[kind], names[k], median, c[0],
                        c[rounds - 1]);
            }
        }
        System.out.println("timers recorded: " + meters.getMeters().size());
    }
}
