package dev.plumb.coworker.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * The worker loop: polls {@code Queue.get} every {@code pollInterval}, drains each queue with
 * {@code Queue.claimItems} — one claim per free worker slot, queues concurrently — splits each claim by run_as
 * context and runs the runs with {@code Queue.runItems} through a {@link BatchRunner}.
 *
 * <p>Backpressure: a claim needs a slot, and a slot is held until its batch has run, so claimed-but-unfinished
 * items never exceed {@code workerCount × batch_limit}. A failed batch is logged and its items' leases expire, so
 * they are claimed again. {@link #stop()} stops claiming, waits up to the grace period for in-flight batches and
 * stops the pipes; {@link #stopNow()} kills them.
 */
public final class Coworker {

    private static final Logger LOG = LoggerFactory.getLogger(Coworker.class);

    /** Why a run ended. */
    public enum StopReason {
        /** {@code --until-empty}: nothing claimable and nothing in flight. */
        QUEUES_EMPTY,
        /** {@code agentDuration} elapsed. */
        AGENT_DURATION,
        /** A stop was requested (signal). */
        REQUESTED,
        /** An immediate stop was requested (second signal). */
        KILLED
    }

    private final ControlChannel control;
    private final BatchRunner runner;
    private final WorkerSlots slots;
    private final WorkerStats stats = new WorkerStats();
    private final Duration pollInterval;
    private final Duration gracePeriod;
    private final Duration agentDuration;
    private final boolean untilEmpty;
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean activity = new AtomicBoolean(true);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Sinks.One<StopReason> done = Sinks.one();
    private final long startNanos = System.nanoTime();
    private volatile boolean firstPollDone;
    private volatile long failedLeasesExpireNanos = System.nanoTime();
    private volatile Disposable ticker;

    /** A coworker polling through {@code control} and running through {@code runner}. */
    public Coworker(ControlChannel control, BatchRunner runner, int workerCount, Duration pollInterval,
                    Duration gracePeriod, Duration agentDuration, boolean untilEmpty) {
        this.control = control;
        this.runner = runner;
        this.slots = new WorkerSlots(workerCount);
        this.pollInterval = pollInterval;
        this.gracePeriod = gracePeriod;
        this.agentDuration = agentDuration;
        this.untilEmpty = untilEmpty;
    }

    /** The live counters. */
    public WorkerStats stats() {
        return stats;
    }

    /** The batch runner's counters (worker pipes started, retired, failed). */
    public Map<String, Object> runnerCounters() {
        return runner.counters();
    }

    /** How many times the control pipe was started. */
    public int controlStarts() {
        return control.starts();
    }

    /** Runs until a stop; emits why it stopped, after the pipes are stopped. */
    public Mono<StopReason> run() {
        return Mono.defer(() -> {
            ticker = Flux.interval(Duration.ZERO, pollInterval.isZero() ? Duration.ofMillis(10) : pollInterval)
                    .onBackpressureDrop()
                    .concatMap(t -> pollOnce().onErrorResume(e -> {
                        LOG.warn("poll failed: {}", e.getMessage());
                        return Mono.empty();
                    }), 1)
                    .subscribe();
            return done.asMono();
        });
    }

    private Mono<Void> pollOnce() {
        if (stopping.get()) {
            return Mono.empty();
        }
        if (agentDuration != null && System.nanoTime() - startNanos >= agentDuration.toNanos()) {
            LOG.info("agentDuration of {} s reached; stopping", agentDuration.toSeconds());
            stop(StopReason.AGENT_DURATION);
            return Mono.empty();
        }
        boolean hadActivity = activity.getAndSet(false);
        if (untilEmpty && firstPollDone && !hadActivity && draining.isEmpty() && inFlight.get() == 0
                && System.nanoTime() - failedLeasesExpireNanos > 0) {
            LOG.info("no claimable items and nothing in flight; stopping (--until-empty)");
            stop(StopReason.QUEUES_EMPTY);
            return Mono.empty();
        }
        return control.ready()
                .then(Mono.defer(() -> control.call("api4",
                        List.of("Queue", "get", Map.of("where", control.pollWhere())))))
                .doOnNext(queues -> {
                    for (JsonNode q : queues) {
                        String name = q.path("name").asString(null);
                        if (name != null && draining.add(name)) {
                            drain(q).doFinally(s -> draining.remove(name)).subscribe();
                        }
                    }
                    firstPollDone = true;
                })
                .then();
    }

    /** Claims from one queue while slots come free and claims return items. */
    private Mono<Void> drain(JsonNode queue) {
        return Mono.defer(() -> claimOnce(queue))
                .repeat(() -> !stopping.get())
                .takeWhile(claimed -> claimed)
                .then();
    }

    private Mono<Boolean> claimOnce(JsonNode queue) {
        String name = queue.path("name").asString();
        return slots.acquire().flatMap(granted -> {
            if (!granted) {
                return Mono.just(false);
            }
            AtomicBoolean released = new AtomicBoolean();
            inFlight.incrementAndGet(); // a held slot is in flight, from the claim to the end of its batch
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                    slots.release();
                }
            };
            return control.call("api4", List.of("Queue", "claimItems",
                            Map.of("queue", name, "select", List.of("id", "queue", "run_as"))))
                    .map(items -> {
                        if (!items.isArray() || items.isEmpty()) {
                            release.run();
                            return false;
                        }
                        activity.set(true);
                        stats.claimed(name, items.size());
                        runClaim(queue, items).doFinally(s -> {
                            activity.set(true);
                            release.run();
                        }).subscribe();
                        return true;
                    })
                    .onErrorResume(e -> {
                        release.run();
                        // the claim may have leased items before its reply was lost: --until-empty waits for them
                        expectLeasesBack(Duration.ofSeconds(Math.max(1, queue.path("lease_time").asLong(3600))));
                        LOG.warn("claiming from queue {} failed: {}", name, e.getMessage());
                        return Mono.just(false);
                    })
                    .doOnCancel(release);
        });
    }

    /** Splits one claim into runs of one run_as context each and runs them one after another in this slot. */
    private Mono<Void> runClaim(JsonNode queue, JsonNode items) {
        String name = queue.path("name").asString();
        Duration leaseTime = Duration.ofSeconds(Math.max(1, queue.path("lease_time").asLong(3600)));
        Map<String, List<Map<String, Object>>> byContext = new LinkedHashMap<>();
        Map<String, Map<String, Object>> runAsOf = new LinkedHashMap<>();
        for (JsonNode it : items) {
            JsonNode runAs = it.get("run_as");
            long contact = runAs == null || runAs.isNull() ? 0 : runAs.path("contactId").asLong(0);
            long domain = runAs == null || runAs.isNull() ? 0 : runAs.path("domainId").asLong(0);
            String context = "d" + domain + "-c" + contact;
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", it.path("id").asLong());
            item.put("queue", it.path("queue").asString(name));
            byContext.computeIfAbsent(context, k -> new ArrayList<>()).add(item);
            if (contact != 0) {
                runAsOf.put(context, Map.of("contactId", contact, "domainId", domain));
            }
        }
        return Flux.fromIterable(byContext.entrySet())
                .concatMap(e -> runBatch(name, e.getKey(), runAsOf.get(e.getKey()), e.getValue(), leaseTime))
                .then();
    }

    private Mono<Void> runBatch(String queue, String context, Map<String, Object> runAs,
                                List<Map<String, Object>> items, Duration timeout) {
        stats.running(queue, items.size());
        stats.batches.incrementAndGet();
        return runner.run(context, runAs, items, timeout)
                .doOnNext(result -> count(queue, result))
                .onErrorResume(e -> {
                    stats.batchFailed(queue, items.size());
                    expectLeasesBack(timeout); // those items come back when their lease expires
                    LOG.warn("batch of {} item(s) of queue {} as {} failed: {}; their leases expire after {} s and"
                            + " they are claimed again", items.size(), queue, context, e.getMessage(),
                            timeout.toSeconds());
                    return Mono.empty();
                })
                .doFinally(s -> stats.running(queue, -items.size()))
                .then();
    }

    /** Makes --until-empty wait until leases taken now have expired (their items are claimable again then). */
    private void expectLeasesBack(Duration leaseTime) {
        long expires = System.nanoTime() + leaseTime.toNanos() + pollInterval.toNanos();
        synchronized (this) {
            if (expires - failedLeasesExpireNanos > 0) {
                failedLeasesExpireNanos = expires;
            }
        }
    }

    private void count(String queue, BatchRunner.Result result) {
        JsonNode rows = result.rows();
        long perTask = rows.size() == 0 ? 0 : result.runNanos() / rows.size();
        for (JsonNode row : rows) {
            String outcome = row.path("outcome").asString("");
            long id = row.path("item").path("id").asLong(-1);
            stats.outcome(queue, outcome, perTask);
            if (!"ok".equals(outcome)) {
                LOG.info("item {} of queue {}: {}", id, queue, outcome);
            }
        }
    }

    /** Stops gracefully: no new claims, in-flight batches get the grace period, then the pipes stop. */
    public void stop() {
        stop(StopReason.REQUESTED);
    }

    private void stop(StopReason reason) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        slots.close();
        Disposable t = ticker;
        if (t != null) {
            t.dispose();
        }
        Flux.interval(Duration.ofMillis(50)).filter(x -> inFlight.get() == 0).next().then()
                .timeout(gracePeriod, Mono.fromRunnable(() -> LOG.warn(
                        "{} batch(es) still running after the grace period of {} s; stopping them",
                        inFlight.get(), gracePeriod.toSeconds())))
                .then(Mono.defer(() -> Mono.when(runner.stop().onErrorResume(e -> Mono.empty()),
                        control.stop().onErrorResume(e -> Mono.empty()))))
                .subscribe(null, e -> done.tryEmitValue(reason), () -> done.tryEmitValue(reason));
    }

    /** Stops at once: kills every pipe. */
    public void stopNow() {
        stopping.set(true);
        slots.close();
        Disposable t = ticker;
        if (t != null) {
            t.dispose();
        }
        runner.kill();
        control.kill();
        done.tryEmitValue(StopReason.KILLED);
    }
}
