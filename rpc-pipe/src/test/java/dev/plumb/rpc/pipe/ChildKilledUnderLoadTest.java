package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Chaos: a supervised child is killed (SIGKILL) every 100 ms while 5,000 calls are pipelined to it (100 every
 * 40 ms). Every call
 * ends, with its result or with a typed error a caller can act on ({@link PipeClosedException} when its child died
 * under it, {@link RpcConnectionClosedException}, {@link RpcTimeoutException}); none hangs; no peer is left with a
 * pending call; and once the killing stops the coprocess answers again.
 */
@Timeout(60)
class ChildKilledUnderLoadTest {

    /** Answers each request with its id as the result, in the shell alone (no process per line). */
    private static final String ECHO_ID = String.join("\n",
            "while IFS= read -r line; do",
            "  case \"$line\" in *'\"id\":'*)",
            "    id=${line##*\\\"id\\\":}; id=${id%%[,\\}]*}",
            "    printf '{\"jsonrpc\":\"2.0\",\"result\":%s,\"id\":%s}\\n' \"$id\" \"$id\";;",
            "  esac",
            "done");

    private static final int CALLS = 5000;

    @Test
    void everyCallEndsWithItsResultOrATypedErrorAndNothingStaysPending() {
        RunningCoprocess c = Coprocess.of(PipeTransport.shell(ECHO_ID).name("chaos"))
                .restart(RestartPolicy.unlimited())
                .restartDelay(Duration.ofMillis(10))
                .peer(b -> b.timeout(Duration.ofSeconds(20)))
                .start();
        Set<RpcPeer> peers = ConcurrentHashMap.newKeySet();
        Set<Long> killed = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        long started = System.nanoTime();
        List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        c.events().subscribe(e -> events.add((System.nanoTime() - started) / 1_000_000 + "ms " + e.type()));
        try {
            c.peer().block(Duration.ofSeconds(20));
            killer.scheduleAtFixedRate(() -> c.connection()
                            .flatMap(pipe -> ProcessHandle.of(pipe.pid()))
                            .filter(p -> p.isAlive() && killed.add(p.pid()))
                            .ifPresent(ProcessHandle::destroyForcibly),
                    100, 100, TimeUnit.MILLISECONDS);

            // 100 calls every 40 ms, each group pipelined: the 5,000 calls span at least 2 s, some 20 kills
            List<String> outcomes = Flux.interval(Duration.ZERO, Duration.ofMillis(40)).take(CALLS / 100)
                    .flatMap(group -> Flux.range((int) (group * 100), 100)
                            .flatMap(i -> c.peer()
                                    .doOnNext(peers::add)
                                    .flatMap(peer -> peer.call("echo", List.of(i)))
                                    .map(result -> result.isNumber() ? "result" : "wrong result " + result)
                                    .onErrorResume(e -> Mono.just(e.getClass().getSimpleName())), 100))
                    .collectList()
                    .block(Duration.ofSeconds(45));
            killer.shutdownNow();

            Map<String, Integer> counts = new TreeMap<>();
            outcomes.forEach(o -> counts.merge(o, 1, Integer::sum));
            System.out.printf("chaos: %d calls, %d children killed, %d started, %s, %d ms%n", outcomes.size(), killed.size(),
                    c.generation(), counts, (System.nanoTime() - started) / 1_000_000);

            System.out.println("chaos events: " + events);
            assertThat(outcomes).hasSize(CALLS);
            assertThat(counts.keySet()).isSubsetOf("result", "PipeClosedException", "RpcConnectionClosedException",
                    "RpcTimeoutException");
            assertThat(killed).as("children killed while the calls ran").hasSizeGreaterThanOrEqualTo(2);

            assertThat(c.call("echo", List.of(1)).block(Duration.ofSeconds(20)).isNumber())
                    .as("answers again once the killing stops").isTrue();
        } finally {
            killer.shutdownNow();
            c.stop().block(Duration.ofSeconds(20));
        }
        assertThat(peers).isNotEmpty().allSatisfy(peer -> assertThat(peer.pendingCount()).isZero());
    }
}
