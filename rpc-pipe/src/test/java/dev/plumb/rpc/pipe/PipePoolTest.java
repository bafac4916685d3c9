package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnectionClosedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@Timeout(60)
class PipePoolTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private PipePool pool;

    private static PipePool.Builder pidServers() {
        return PipePool.builder(PipeTransport.shell(Scripts.PID_SERVER).name("pool"))
                .stopTimeouts(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    private long pid(String context) {
        return pool.withPipe(context, peer -> peer.call("pid", List.of(), Long.class)).block(WAIT);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close().block(WAIT);
        }
    }

    @Test
    void reusesAnIdlePipeOfTheSameContextAndStartsAnotherForAnotherContext() {
        Map<String, AtomicInteger> logins = new ConcurrentHashMap<>();
        pool = pidServers().size(2)
                .initializer(ctx -> peer -> {
                    logins.computeIfAbsent(ctx, k -> new AtomicInteger()).incrementAndGet();
                    return peer.call("login", Map.of("contact", ctx));
                })
                .build();
        long a1 = pid("d1-c202");
        long a2 = pid("d1-c202");
        long b = pid("d1-c7");
        assertThat(a2).isEqualTo(a1);
        assertThat(b).isNotEqualTo(a1);
        assertThat(logins).containsOnlyKeys("d1-c202", "d1-c7");
        assertThat(logins.get("d1-c202")).hasValue(1);
        assertThat(pool.stats()).isEqualTo(new PoolStats(0, 2, 0, 0, 2, 0, 0));
    }

    @Test
    void aPipeRetiresAfterMaxRequestsTheInitialiserCounting() {
        pool = pidServers().maxRequests(3).initializer(ctx -> peer -> peer.call("login", List.of())).build();
        long first = pid("a");
        assertThat(pid("a")).isEqualTo(first); // login + 2 = 3: retired on return
        assertThat(pid("a")).isNotEqualTo(first);
        assertThat(pool.stats().retired()).isEqualTo(1);
    }

    @Test
    void anIdlePipeIsStoppedAfterTheIdleTimeout() {
        pool = pidServers().idleTimeout(Duration.ofMillis(200)).build();
        long pid = pid("a");
        StepVerifier.create(pool.statsUpdates().filter(s -> s.retired() == 1 && s.live() == 0).next())
                .expectNextCount(1)
                .verifyComplete();
        StepVerifier.create(Mono.delay(Duration.ofMillis(50)).repeat()
                        .takeUntil(t -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)).then())
                .verifyComplete();
    }

    @Test
    void aPipeOlderThanMaxAgeTakesNoNewWork() {
        pool = pidServers().maxAge(Duration.ofMillis(300)).build();
        long first = pid("a");
        Mono.delay(Duration.ofMillis(400)).block(WAIT);
        assertThat(pid("a")).isNotEqualTo(first);
    }

    @Test
    void workBeyondCapacityWaitsInOrder() {
        pool = pidServers().size(1).build();
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger maxBusy = new AtomicInteger();
        pool.statsUpdates().subscribe(s -> maxBusy.accumulateAndGet(s.busy() + s.starting(), Math::max));
        List<Long> pids = Flux.range(0, 4)
                .flatMapSequential(i -> pool.withPipe("a", peer -> Mono.delay(Duration.ofMillis(50))
                        .then(peer.call("pid", List.of(), Long.class))
                        .doOnNext(p -> order.add(i))))
                .collectList().block(WAIT);
        assertThat(pids).containsOnly(pids.get(0));
        assertThat(order).containsExactly(0, 1, 2, 3);
        assertThat(maxBusy).hasValue(1);
    }

    @Test
    void aPipeWhoseWorkWasCancelledOrTimedOutIsRetiredButAnErrorReplyKeepsIt() {
        pool = pidServers().build();
        long first = pid("a");
        StepVerifier.create(pool.withPipe("a", peer -> peer.call("pid", List.of())
                        .then(Mono.error(new dev.plumb.rpc.RpcErrorException(dev.plumb.rpc.RpcError.internalError())))))
                .expectError(dev.plumb.rpc.RpcErrorException.class)
                .verify(WAIT);
        assertThat(pid("a")).isEqualTo(first);
        StepVerifier.create(pool.withPipe("a", peer -> Mono.never()).timeout(Duration.ofMillis(100)))
                .expectError(java.util.concurrent.TimeoutException.class)
                .verify(WAIT);
        assertThat(pid("a")).isNotEqualTo(first);
        assertThat(pool.stats().retired()).isEqualTo(1);
    }

    @Test
    void anIdlePipeOfAnotherContextIsEvictedWhenThePoolIsFull() {
        pool = pidServers().size(1).build();
        long a = pid("a");
        long b = pid("b");
        assertThat(b).isNotEqualTo(a);
        assertThat(pool.stats().retired()).isEqualTo(1);
        assertThat(pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void aDeadIdlePipeIsNeverHandedWork() {
        pool = pidServers().build();
        long a = pid("a");
        ProcessHandle.of(a).orElseThrow().destroyForcibly();
        StepVerifier.create(Mono.delay(Duration.ofMillis(20)).repeat()
                .takeUntil(t -> pool.stats().idle() == 0).then()).verifyComplete();
        assertThat(pid("a")).isNotEqualTo(a);
    }

    @Test
    void aPipeThatFailsToInitialiseFailsTheWorkThatWaitedForIt() {
        pool = pidServers().initializer(ctx -> peer -> Mono.error(new IllegalStateException("login refused")))
                .build();
        StepVerifier.create(pool.withPipe("a", peer -> peer.call("pid", List.of())))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PipeStartException.class)
                        .hasMessageContaining("login refused").hasMessageContaining("context a"))
                .verify(WAIT);
        assertThat(pool.stats().failed()).isEqualTo(1);
        assertThat(pool.stats().live()).isZero();
    }

    @Test
    void aPipeThatFailsToStartFailsTheWorkThatWaitedForIt() {
        pool = PipePool.builder(PipeTransport.shell("echo broken >&2; exit 1").welcomeHeader(true)).build();
        StepVerifier.create(Flux.range(0, 3).flatMap(i -> pool.withPipe("a", peer -> peer.call("pid", List.of()))
                        .onErrorResume(PipeStartException.class, e -> Mono.just(tools.jackson.databind.node
                                .JsonNodeFactory.instance.textNode("failed")))).count())
                .expectNext(3L)
                .verifyComplete();
        assertThat(pool.stats().failed()).isEqualTo(3);
    }

    @Test
    void closingThePoolFailsQueuedWork() {
        pool = pidServers().size(1).build();
        Mono<Long> holding = pool.withPipe("a", peer -> Mono.delay(Duration.ofSeconds(30)).thenReturn(1L));
        holding.subscribe(x -> { }, e -> { });
        StepVerifier.create(pool.statsUpdates().filter(s -> s.busy() == 1).next()).expectNextCount(1)
                .verifyComplete();
        Mono<Long> queued = pool.withPipe("a", peer -> Mono.just(2L));
        StepVerifier.create(queued)
                .then(() -> pool.close().subscribe())
                .expectError(RpcConnectionClosedException.class)
                .verify(WAIT);
        pool = null;
    }
}
