package dev.plumb.coworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.coworker.demo.DemoQueueStore;
import dev.plumb.coworker.demo.DemoSeed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * coworker as a user runs it: real {@code run} processes against real {@code demo-queue} processes (pipes) or a
 * {@code demo-queue --http} server, with the queue's database checked afterwards.
 */
@Timeout(120)
class CoworkerEndToEndTest {

    @TempDir
    Path dir;

    private Path seed(DemoSeed seed) {
        Path db = dir.resolve("queue.db");
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            seed.applyTo(store);
        }
        return db;
    }

    private static void assertEveryTaskFinishedOnce(Path db, long tasks) {
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            Map<String, Long> items = store.itemCounts(System.currentTimeMillis());
            assertThat(items.getOrDefault("ok", 0L) + items.getOrDefault("failed", 0L)).isEqualTo(tasks);
            assertThat(items).doesNotContainKeys("ready", "leased");
            assertThat(store.itemsFinishedTwice()).isEmpty();
        }
    }

    @Test
    void theDefaultDemoRunFinishesAll200TasksOnceWithSeparatePipesPerRunAsContact() throws Exception {
        Path db = seed(DemoSeed.defaults());
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "--until-empty", "-d", "pollInterval=0.2")) {
            assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
            assertThat(p.out()).contains("coworker summary: queues empty");
            // the table's total row: claimed, ok, retry, failed
            assertThat(summaryRow(p.out(), "all")).startsWith("240 180 40 20 ");
            // not on a terminal: plain log lines, no progress display
            assertThat(p.err()).doesNotContain("\u001b").contains("INFO");
        }
        assertEveryTaskFinishedOnce(db, 200);
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            assertThat(store.runCounts()).containsEntry("ok", 180L).containsEntry("retry", 40L)
                    .containsEntry("fail", 20L);
            Map<Long, List<String>> workers = store.workersByContact();
            assertThat(workers.keySet()).contains(0L, 101L, 102L, 103L);
            Set<String> seen = new HashSet<>();
            for (Map.Entry<Long, List<String>> e : workers.entrySet()) {
                for (String pid : e.getValue()) {
                    assertThat(seen.add(pid)).as("pipe %s served more than one run_as context", pid).isTrue();
                }
            }
            // backpressure: never more than workerCount x batch_limit claimed and unfinished
            assertThat(store.maxOutstanding()).isLessThanOrEqualTo(2 * 4);
        }
    }

    @Test
    void aKilledPoolPipeLosesNoTaskItsItemsAreClaimedAgainAfterTheLease() throws Exception {
        Path db = seed(new DemoSeed(60, "sleep", 150, 1, 1, 3, 6, 0));
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "--until-empty", "-d", "pollInterval=0.2")) {
            String victim = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (victim == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
                try (DemoQueueStore store = DemoQueueStore.open(db)) {
                    List<String> w = store.workersByContact().get(101L);
                    victim = w == null ? null : w.get(0);
                }
            }
            assertThat(victim).as("a pool pipe recorded a run").isNotNull();
            ProcessHandle.of(Long.parseLong(victim)).ifPresent(ProcessHandle::destroyForcibly);
            assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
            // The pipe may die mid-batch (its batch fails and the items come back after the lease) or between
            // batches (the pool drops it unused); either way no task may be lost or run twice.
        }
        assertEveryTaskFinishedOnce(db, 60);
    }

    @Test
    void aKilledControlPipeIsRestartedAndTheRunCarriesOn() throws Exception {
        Path db = seed(new DemoSeed(240, "sleep", 20, 2, 1, 4, 6, 0));
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "--until-empty", "-d", "pollInterval=0.2", "-d", "workerRequests=1000", "-d", "logFormat=json")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long done = 0;
            while (done < 20 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                try (DemoQueueStore store = DemoQueueStore.open(db)) {
                    done = store.runCounts().getOrDefault("ok", 0L);
                }
            }
            // the control pipe is the first demo-queue JVM coworker started
            ProcessHandle control = p.process.descendants()
                    .filter(h -> h.info().command().orElse("").endsWith("java"))
                    .min(java.util.Comparator.comparing(h -> h.info().startInstant().orElse(java.time.Instant.MAX)))
                    .orElseThrow();
            control.destroyForcibly();
            assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
            JsonNode summary = summary(p);
            assertThat(summary.path("stopped").asString()).isEqualTo("queues_empty");
            assertThat(summary.path("controlPipeStarts").asInt()).isGreaterThanOrEqualTo(2);
        }
        assertEveryTaskFinishedOnce(db, 240);
    }

    @Test
    void withoutPipeOrWebRunUsesAFreshDemoQueueStopsWhenEmptyAndLogsJsonLines() throws Exception {
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--demo-tasks", "30",
                "-d", "logFormat=json", "-d", "pollInterval=0.2")) {
            assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
            JsonNode summary = summary(p);
            assertThat(summary.path("stopped").asString()).isEqualTo("queues_empty");
            assertThat(summary.path("ok").asLong()).isEqualTo(27); // 30 tasks: 3 always_fail
            assertThat(summary.path("failed").asLong()).isEqualTo(3);
            // one entry per queue, with its counts and task-time percentiles
            assertThat(summary.path("queues")).hasSize(3);
            long ok = 0;
            for (JsonNode q : summary.path("queues")) {
                assertThat(q.path("queue").asString()).startsWith("demo-");
                assertThat(q.path("taskP95Ms").asDouble()).isGreaterThanOrEqualTo(q.path("taskP50Ms").asDouble())
                        .isPositive();
                ok += q.path("ok").asLong();
            }
            assertThat(ok).isEqualTo(27);
            // the log is JSON records, the start one of them
            assertThat(logRecords(p))
                    .allSatisfy(r -> assertThat(r.has("level")).isTrue())
                    .anySatisfy(r -> assertThat(r.path("message").asString()).startsWith("coworker starting"));
        }
    }

    @Test
    void quietLeavesWarningsAndTheSummaryButNotEveryItemsRetryOrFail() throws Exception {
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--demo-tasks", "20", "-q",
                "-d", "pollInterval=0.2")) {
            assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
            assertThat(p.out()).contains("coworker summary: queues empty");
            assertThat(summaryRow(p.out(), "all")).startsWith("24 18 4 2 ");
            assertThat(p.err()).doesNotContain(": retry").doesNotContain(": fail").doesNotContain(" INFO ");
        }
    }

    @Test
    void sigtermStopsClaimingLetsInFlightBatchesFinishAndExitsZeroWithASummary() throws Exception {
        Path db = seed(new DemoSeed(400, "sleep", 200, 2, 1, 2, 60, 0));
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "-d", "pollInterval=0.2", "-d", "logFormat=json")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long done = 0;
            while (done < 6 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                try (DemoQueueStore store = DemoQueueStore.open(db)) {
                    done = store.runCounts().getOrDefault("ok", 0L);
                }
            }
            p.process.destroy(); // SIGTERM
            assertThat(p.waitFor(60)).as(CoworkerProcess.tail(p.stderr)).isZero();
            JsonNode summary = summary(p);
            assertThat(summary.path("stopped").asString()).isEqualTo("requested");
            assertThat(summary.path("ok").asLong()).isGreaterThanOrEqualTo(6);
            assertThat(summary.path("running").asLong()).isZero();                  // nothing cut off
            assertThat(summary.path("itemsInFailedBatches").asLong()).isZero();
        }
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            Map<String, Long> items = store.itemCounts(System.currentTimeMillis());
            assertThat(items).doesNotContainKey("leased"); // every claimed batch was run to its end
            assertThat(items.get("ok")).isLessThan(400L);
        }
    }

    @Test
    void aSecondSignalStopsAtOnceAndLeavesNoPipeProcessBehind() throws Exception {
        Path db = seed(new DemoSeed(100, "sleep", 2_000, 1, 1, 2, 60, 0));
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "-d", "pollInterval=0.2", "-d", "logFormat=json")) {
            // a batch of 2 s tasks is claimed and a worker pipe runs it (control + a worker: sh and java each)
            awaitState("a batch running on a worker pipe", () -> p.process.descendants().count() >= 4
                    && leased(db) > 0);
            List<ProcessHandle> children = p.process.descendants().toList();
            p.process.destroy();
            awaitState("the first SIGTERM handled", () -> logRecords(p).stream()
                    .anyMatch(r -> r.path("message").asString().startsWith("SIGTERM: stopping after in-flight")));
            p.process.destroy();
            assertThat(p.waitFor(20)).as(CoworkerProcess.tail(p.stderr)).isZero();
            JsonNode summary = summary(p);
            assertThat(summary.path("stopped").asString()).isEqualTo("killed");
            assertThat(summary.path("ok").asLong()).isLessThan(100);
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).isFalse();
            }
        }
    }

    @Test
    void aPoolPipeThatCannotLogInFailsItsBatchAndTheOtherContextsCarryOn() throws Exception {
        Path db = seed(new DemoSeed(96, "noop", 0, 2, 2, 4, 60, 0)); // contacts 101 and 102
        long of101;
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            of101 = store.itemsByContact().get(101L);
        }
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe",
                CoworkerProcess.demoPipe(db) + " --refuse-login 102", "-d", "pollInterval=0.2",
                "-d", "logFormat=json")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long ok = 0;
            while (ok < of101 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                try (DemoQueueStore store = DemoQueueStore.open(db)) {
                    ok = store.runCounts().getOrDefault("ok", 0L);
                }
            }
            assertThat(ok).as("every item of contact 101 ran").isEqualTo(of101);
            p.process.destroy();
            assertThat(p.waitFor(60)).as(CoworkerProcess.tail(p.stderr)).isZero();
            JsonNode summary = summary(p);
            assertThat(summary.path("workerPipesFailed").asLong()).as("pipes that could not log in").isPositive();
            assertThat(summary.path("itemsInFailedBatches").asLong()).as("102's items, claimed again later")
                    .isPositive();
            assertThat(summary.path("ok").asLong()).isEqualTo(of101);
        }
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            assertThat(store.workersByContact()).containsOnlyKeys(101L); // nothing ran without its login
        }
    }

    @Test
    void agentDurationStopsTheRunGracefullyByItself() throws Exception {
        Path db = seed(new DemoSeed(2_000, "sleep", 100, 1, 1, 2, 60, 0));
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "-d", "agentDuration=3", "-d", "pollInterval=0.2", "-d", "logFormat=json")) {
            assertThat(p.waitFor(60)).as(CoworkerProcess.tail(p.stderr)).isZero();
            JsonNode summary = summary(p);
            assertThat(summary.path("stopped").asString()).isEqualTo("agent_duration");
            assertThat(summary.path("ok").asLong()).isPositive().isLessThan(2_000);
        }
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            assertThat(store.itemCounts(System.currentTimeMillis())).doesNotContainKey("leased");
        }
    }

    @Test
    void claimsStayWithinWorkerCountTimesBatchLimitOnALargeQueue() throws Exception {
        Path db = seed(new DemoSeed(10_000, "noop", 0, 2, 0, 5, 600, 0));
        try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "--until-empty", "-d", "workerCount=2", "-d", "workerRequests=100000", "-d", "pollInterval=0.2")) {
            assertThat(p.waitFor(110)).as(CoworkerProcess.tail(p.stderr)).isZero();
        }
        assertEveryTaskFinishedOnce(db, 10_000);
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            List<DemoQueueStore.ClaimLogRow> log = store.claimLog();
            assertThat(log).hasSizeGreaterThanOrEqualTo(2_000);
            assertThat(log).allSatisfy(r -> assertThat(r.outstanding()).isLessThanOrEqualTo(2 * 5));
            assertThat(log.stream().map(DemoQueueStore.ClaimLogRow::queue).distinct()).hasSize(2);
        }
    }

    @Test
    void webChannelRunsEverythingOverHttp() throws Exception {
        Path db = seed(new DemoSeed(120, "mixed", 5, 2, 2, 4, 60, 1));
        try (CoworkerProcess server = CoworkerProcess.start(dir, "http", "demo-queue", "--db", db.toString(),
                "--http", "0", "--token", "s3cret")) {
            String url = readLine(server) + "?token=s3cret";
            try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--web", url, "--until-empty",
                    "-d", "pollInterval=0.2", "-d", "logFormat=json")) {
                assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
                JsonNode summary = summary(p);
                assertThat(summary.path("stopped").asString()).isEqualTo("queues_empty");
                assertThat(summary.path("failed").asLong()).isEqualTo(12);
                assertThat(summary.has("controlPipeStarts")).as("no pipe on the web channel").isFalse();
            }
        }
        assertEveryTaskFinishedOnce(db, 120);
    }

    @Test
    void hybridChannelPollsAndClaimsOverThePipeAndRunsOverHttp() throws Exception {
        Path db = seed(new DemoSeed(80, "noop", 0, 2, 2, 4, 60, 0));
        try (CoworkerProcess server = CoworkerProcess.start(dir, "http", "demo-queue", "--db", db.toString(),
                "--http", "0", "--token", "s3cret")) {
            String url = readLine(server);
            try (CoworkerProcess p = CoworkerProcess.start(dir, "run", "run", "--pipe", CoworkerProcess.demoPipe(db),
                    "--web", url, "--channel", "pipe,web", "--until-empty", "-d", "webToken=s3cret",
                    "-d", "pollInterval=0.2")) {
                assertThat(p.waitFor(100)).as(CoworkerProcess.tail(p.stderr)).isZero();
            }
        }
        assertEveryTaskFinishedOnce(db, 80);
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            // every run happened in the HTTP server process, none in a pipe
            assertThat(store.workersByContact().values().stream().flatMap(List::stream).distinct()).hasSize(1);
        }
    }

    @Test
    void twoCoworkersOnOneQueueSplitTheWorkAndNeverRunATaskTwice() throws Exception {
        Path db = seed(new DemoSeed(600, "sleep", 5, 3, 0, 3, 600, 0));
        try (CoworkerProcess a = CoworkerProcess.start(dir, "a", "run", "--pipe", CoworkerProcess.demoPipe(db),
                "--until-empty", "-d", "workerRequests=1000", "-d", "pollInterval=0.2", "-d", "logFormat=json");
             CoworkerProcess b = CoworkerProcess.start(dir, "b", "run", "--pipe", CoworkerProcess.demoPipe(db),
                     "--until-empty", "-d", "workerRequests=1000", "-d", "pollInterval=0.2", "-d", "logFormat=json")) {
            assertThat(a.waitFor(100)).as(CoworkerProcess.tail(a.stderr)).isZero();
            assertThat(b.waitFor(100)).as(CoworkerProcess.tail(b.stderr)).isZero();
            JsonNode sa = summary(a);
            JsonNode sb = summary(b);
            assertThat(sa.path("stopped").asString()).isEqualTo("queues_empty");
            assertThat(sb.path("stopped").asString()).isEqualTo("queues_empty");
            assertThat(sa.path("done").asLong()).as("a's runs").isPositive();
            assertThat(sb.path("done").asLong()).as("b's runs").isPositive();
            assertThat(sa.path("ok").asLong() + sb.path("ok").asLong()).isEqualTo(600);
        }
        assertEveryTaskFinishedOnce(db, 600);
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            assertThat(store.runCounts()).containsOnlyKeys("ok").containsEntry("ok", 600L);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The JSON summary ({@code logFormat=json}): the {@code {"summary":{…}}} line on stdout. */
    static JsonNode summary(CoworkerProcess p) throws IOException {
        List<String> lines = Files.readAllLines(p.stdout);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("{\"summary\"")) {
                return JSON.readTree(lines.get(i)).get("summary");
            }
        }
        throw new AssertionError("no JSON summary on stdout:\n" + p.out());
    }

    /** The log records on stderr ({@code logFormat=json}: one JSON object per line). */
    static List<JsonNode> logRecords(CoworkerProcess p) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(p.stderr)) {
            if (line.startsWith("{")) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    /** Items claimed and not finished, in the demo queue {@code db}. */
    private static long leased(Path db) {
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            return store.itemCounts(System.currentTimeMillis()).getOrDefault("leased", 0L);
        }
    }

    /** A condition that may throw while it looks. */
    interface State {
        boolean holds() throws Exception;
    }

    /** Polls {@code state} every 50 ms until it holds; fails after 60 s naming what it waited for. */
    static void awaitState(String what, State state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!state.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The numbers of the summary table's row for {@code queue} ("all" for the total), space-separated. */
    static String summaryRow(String out, String queue) {
        for (String line : out.split("\\R")) {
            String t = line.trim();
            if (t.startsWith(queue + " ")) {
                return t.substring(queue.length()).trim().replaceAll(" ms", "").replaceAll("\\s+", " ");
            }
        }
        throw new AssertionError("no summary row for " + queue + " in:\n" + out);
    }

    private static String readLine(CoworkerProcess p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    java.nio.file.Files.newInputStream(p.stdout), StandardCharsets.UTF_8))) {
                String line = r.readLine();
                if (line != null && line.startsWith("http")) {
                    return line.trim();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("demo-queue --http printed no URL; stderr:\n" + CoworkerProcess.tail(p.stderr));
    }
}
