package dev.plumb.coworker.bench;

import dev.plumb.coworker.RunCommand;
import dev.plumb.coworker.demo.DemoQueueStore;
import dev.plumb.coworker.demo.DemoSeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coworker benchmark: tasks/s for no-op and 50 ms sleep tasks at workerCount 1, 2, 4, 8, and the peak memory
 * of a 1,000,000-task queue run with {@code -Xmx64m}. Each run is a real {@code coworker run --until-empty}
 * process against real {@code demo-queue} pipes on a fresh SQLite queue.
 *
 * <p>Usage: {@code java -cp examples/target/coworker.jar dev.plumb.coworker.bench.CoworkerBenchmark
 * [throughput] [backpressure] [million]} (all when no argument is given). Prints Markdown rows.
 */
public final class CoworkerBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CoworkerBenchmark() {
    }

    /** Runs the benchmark; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        List<String> what = args.length == 0 ? List.of("throughput", "backpressure", "million") : List.of(args);
        if (what.contains("throughput")) {
            System.out.println("| tasks | workerCount | tasks | batch_limit | wall s | tasks/s (whole run) | tasks/s (steady, 10–90 %) |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String mix : List.of("noop", "sleep")) {
                for (int workers : new int[] {1, 2, 4, 8}) {
                    long tasks = "noop".equals(mix) ? 20_000 : 160L * workers;
                    int batch = "noop".equals(mix) ? 10 : 5;
                    Result r = run(new DemoSeed(tasks, mix, 50, 2, 1, batch, 600, 0), workers, "256m");
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.0f | %.0f |%n",
                            "noop".equals(mix) ? "no-op" : "sleep 50 ms", workers, tasks, batch, r.wallSeconds,
                            tasks / r.wallSeconds, r.steadyRate);
                }
            }
        }
        if (what.contains("backpressure")) {
            long tasks = 100_000;
            Result r = run(new DemoSeed(tasks, "noop", 0, 2, 0, 5, 600, 0), 2, "256m");
            System.out.printf(Locale.ROOT, "100,000 no-op tasks, workerCount 2, batch_limit 5: exit %d, %.0f s,"
                            + " %.0f tasks/s, max claimed-and-unfinished %d (bound 2 x 5 = 10)%n",
                    r.exit, r.wallSeconds, tasks / r.wallSeconds, r.maxOutstanding);
        }
        if (what.contains("million")) {
            long tasks = 1_000_000;
            Result r = run(new DemoSeed(tasks, "noop", 0, 2, 1, 100, 3600, 0), 4, "64m");
            System.out.printf(Locale.ROOT, "1,000,000 no-op tasks, workerCount 4, batch_limit 100, -Xmx64m: exit %d,"
                            + " %.0f s, %.0f tasks/s, peak heap %d MB, peak RSS %d MB, max claimed-and-unfinished %d%n",
                    r.exit, r.wallSeconds, tasks / r.wallSeconds, r.peakHeapMb, r.peakRssMb, r.maxOutstanding);
        }
    }

    private record Result(int exit, double wallSeconds, double steadyRate, long peakHeapMb, long peakRssMb,
                          int maxOutstanding) {
    }

    private static Result run(DemoSeed seed, int workers, String xmx) throws Exception {
        Path dir = Files.createTempDirectory("coworker-bench-");
        try {
            Path db = dir.resolve("queue.db");
            try (DemoQueueStore store = DemoQueueStore.open(db)) {
                seed.applyTo(store);
            }
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                            .toString(), "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                    "dev.plumb.coworker.Main", "run", "--pipe", RunCommand.demoPipeCommand(db), "--until-empty",
                    "-d", "workerCount=" + workers, "-d", "workerRequests=1000000", "-d", "pollInterval=0.2",
                    "-d", "logFormat=json", "-d", "logLevel=warn"));
            Path out = dir.resolve("out.json");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(3, TimeUnit.HOURS)) {
                p.destroyForcibly();
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            JsonNode summary = null;
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("{\"summary\"")) {
                    summary = JSON.readTree(line).get("summary");
                }
            }
            long heap = summary == null ? -1 : summary.path("peakHeapMb").asLong(-1);
            long rss = summary == null ? -1 : summary.path("peakRssMb").asLong(-1);
            int maxOutstanding;
            try (DemoQueueStore store = DemoQueueStore.open(db)) {
                maxOutstanding = store.maxOutstanding();
            }
            return new Result(p.exitValue(), wall, steadyRate(db), heap, rss, maxOutstanding);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Runs per second between the 10th and 90th percentile of finish times (ramp-up and tail left out). */
    private static double steadyRate(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            long n;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM runs")) {
                rs.next();
                n = rs.getLong(1);
            }
            if (n < 10) {
                return Double.NaN;
            }
            long lo = n / 10;
            long hi = n * 9 / 10;
            long tLo;
            long tHi;
            try (ResultSet rs = s.executeQuery("SELECT finished FROM runs ORDER BY finished LIMIT 1 OFFSET " + lo)) {
                rs.next();
                tLo = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT finished FROM runs ORDER BY finished LIMIT 1 OFFSET " + hi)) {
                rs.next();
                tHi = rs.getLong(1);
            }
            return tHi == tLo ? Double.NaN : (hi - lo) * 1000.0 / (tHi - tLo);
        }
    }
}
