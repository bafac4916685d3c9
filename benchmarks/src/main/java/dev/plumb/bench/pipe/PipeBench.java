package dev.plumb.bench.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The pipe benchmark harness: spawns echo servers as child processes and drives each over its stdin/stdout with a
 * lean client, measuring throughput, latency percentiles and the child's CPU time per call.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.pipe.PipeBench [calls1 callsN rounds
 * [filter]]} (defaults 20000 200000 5; {@code filter} keeps the servers whose name contains one of its
 * comma-separated substrings, case-insensitive). Properties:
 * <ul>
 *   <li>{@code -Dpipebench.serverJvmArgs="…"}: extra JVM options, added to <em>every</em> Java server alike (by
 *       default the servers get none but {@code -cp}: the JVM's defaults, which is what users get);</li>
 *   <li>{@code -Dpipebench.warmup=5}: warm-up rounds per server (each 100,000 calls at window 256 and 10,000 at
 *       window 1);</li>
 *   <li>{@code -Dpipebench.slices=4}: slices per round (see below);</li>
 *   <li>{@code -Dpipebench.windows=1,256}: the windows (calls in flight) to measure;</li>
 *   <li>{@code -Dpipebench.extraServers="name=main.Class arg…;…"}: more Java servers to compare (newline
 *       framing, same JVM command line; the class must be on the harness's classpath);</li>
 *   <li>{@code -Dpipebench.threads=true}: also print, per round, the server's CPU per call split by thread
 *       name (where it goes: reading thread, handler workers, writer, GC, JIT).</li>
 * </ul>
 *
 * <p>Method. All servers are started at once and warmed up one after the other. A measured round at a window is
 * cut into slices (4 by default: 5,000 calls each at window 1, 50,000 at window 256), and the slices visit every
 * server in turn, so each server's round covers the same stretch of time as the others' and a burst of load on
 * this shared machine hits all servers alike; a round's figures are its slices' calls over their summed time,
 * their latencies together, their summed CPU. The client is one thread: it writes as many requests as the
 * window allows in one {@code write}, then makes one bulk {@code read} (64 KiB) of the replies, matches every
 * complete reply in it by id, and refills the window — no thread hand-off, no per-byte read, no allocation per
 * call. A request's latency runs from just before the {@code write} that carries it to just after the
 * {@code read} that returned its reply's last byte (at window 256 it includes waiting in the window). Server CPU
 * is the sum over the child's threads of {@code /proc/<pid>/task/<tid>/schedstat} (on-CPU nanoseconds; threads
 * that exit during a round lose their part of it), falling back to {@code utime+stime} of {@code /proc/<pid>/stat}
 * (10 ms ticks) where schedstat is unavailable. Each figure is reported as the median over the measured rounds
 * with the min–max of those rounds.
 */
public final class PipeBench {

    private static final long TICK_NANOS = 10_000_000L; // CLK_TCK = 100
    /** {@code -Dpipebench.threads=true}: print each round's server CPU split by thread name (diagnostic). */
    private static final boolean THREADS = Boolean.getBoolean("pipebench.threads");
    static final String FILLER = "x".repeat(80);

    /** Row names used for the ratios; keep them stable, the BENCHMARKS.md tables and the issue refer to them. */
    static final String CAT = "cat (raw pipe ceiling)";
    static final String LOOP = "Jackson loop (strong baseline)";
    static final String PLUMB = "Plumb StdioServer, default";
    static final String PLUMB_IMMEDIATE = "Plumb StdioServer, immediate()";
    static final String LSP4J = "LSP4J Launcher (Content-Length)";
    static final String LOOP_CL = "Jackson loop, Content-Length";
    static final String PLUMB_CL = "Plumb StdioServer, default, Content-Length";

    private PipeBench() {
    }

    record Server(String name, List<String> argv, boolean contentLength) {
    }

    record Result(String server, int window, int calls, double callsPerSecond, double p50, double p90, double p99,
                  double cpuMicrosPerCall) {
    }

    /**
     * What the client sends: every request is {@code head + n + mid + id + tail} ({@code n} the call's number in
     * its run, {@code id} its JSON-RPC id), after a handshake of {@code handshake} frames sent once per server
     * before the warm-up (a frame with an {@code "id"} waits for its reply; one without is a notification).
     *
     * @param name      for the log
     * @param head      the request up to {@code n}
     * @param mid       between {@code n} and the id
     * @param tail      after the id
     * @param handshake frames sent once, in order, before anything is measured
     */
    record Workload(String name, byte[] head, byte[] mid, byte[] tail, List<String> handshake) {

        /** The default: {@code {"jsonrpc":"2.0","method":"echo","params":{"n":N,"s":"x…(80)"},"id":ID}}, no handshake. */
        static final Workload ECHO = new Workload("echo",
                ascii("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"n\":"),
                ascii(",\"s\":\"" + FILLER + "\"},\"id\":"), ascii("}"), List.of());

        private static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** How a run's ratios are printed, from the rows (server name @ window) to their rounds. */
    interface RatioPrinter {
        void print(Map<String, List<Result>> byRow);
    }

    /** The JVM command line every Java server child gets: the same for all of them. */
    static List<String> serverJvm() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> jvm = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        // e.g. -Dpipebench.serverJvmArgs=-XX:+UseParallelGC; not for JFR, whose start message goes to stdout (the
        // protocol): start a recording with `jcmd <server pid> JFR.start duration=5s filename=…` instead
        String extra = System.getProperty("pipebench.serverJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        return jvm;
    }

    /** Runs every server at every window and prints Markdown tables (medians, min–max) and the issue's ratios. */
    public static void main(String[] args) throws Exception {
        List<String> jvm = serverJvm();
        List<Server> all = List.of(
                new Server(CAT, List.of("cat"), false),
                new Server(LOOP, concat(jvm, JacksonLoopServer.class.getName()), false),
                new Server(PLUMB, concat(jvm, PlumbEchoServer.class.getName()), false),
                new Server(PLUMB_IMMEDIATE, concat(jvm, PlumbEchoServer.class.getName(), "--immediate"), false),
                new Server(LSP4J, concat(jvm, Lsp4jEchoServer.class.getName()), true),
                new Server(LOOP_CL, concat(jvm, JacksonLoopServer.class.getName(), "--content-length"), true),
                new Server(PLUMB_CL, concat(jvm, PlumbEchoServer.class.getName(), "--content-length"), true));
        run(args, all, Workload.ECHO, PipeBench::printRatios);
    }

    /**
     * Runs {@code all} (less those the filter in {@code args[3]} leaves out, plus {@code -Dpipebench.extraServers})
     * with {@code workload} at every window, then prints the table and {@code ratios}. {@code args}: calls at
     * window 1, calls at other windows, measured rounds, filter (defaults 20000 200000 5, none).
     */
    static void run(String[] args, List<Server> all, Workload workload, RatioPrinter ratios) throws Exception {
        int calls1 = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int callsN = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String only = args.length > 3 ? args[3].toLowerCase(Locale.ROOT) : "";
        int warmup = Integer.getInteger("pipebench.warmup", 5);
        int slices = Integer.getInteger("pipebench.slices", 4);
        int[] windows = Arrays.stream(System.getProperty("pipebench.windows", "1,256").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        List<String> jvm = serverJvm();
        // -Dpipebench.extraServers="name=main.Class arg…;name2=…": more Java servers (same JVM flags), lines framing
        for (String extra : System.getProperty("pipebench.extraServers", "").split(";")) {
            int eq = extra.indexOf('=');
            if (eq > 0) {
                all = new ArrayList<>(all);
                all.add(new Server(extra.substring(0, eq).trim(),
                        concat(jvm, extra.substring(eq + 1).trim().split("\\s+")), false));
            }
        }
        List<Server> servers = all.stream().filter(s -> only.isEmpty() || Arrays.stream(only.split(","))
                .anyMatch(f -> s.name().toLowerCase(Locale.ROOT).contains(f.trim()))).toList();

        System.err.printf(Locale.ROOT, "server JVM: %s%n", String.join(" ", jvm.subList(0, 2)) + " <cp>"
                + (jvm.size() > 3 ? " " + String.join(" ", jvm.subList(3, jvm.size())) : ""));
        System.err.printf(Locale.ROOT, "workload %s, windows %s, %d calls at window 1, %d otherwise, %d warm-up + %d "
                + "measured rounds, each in %d slices interleaved over the servers%n", workload.name(),
                Arrays.toString(windows), calls1, callsN, warmup, rounds, slices);
        long started = System.nanoTime();
        AtomicLong progress = new AtomicLong();
        startWatchdog(progress);
        Map<Server, Endpoint> endpoints = new LinkedHashMap<>();
        try {
            for (Server s : servers) {
                endpoints.put(s, new Endpoint(s, workload, progress));
            }
            for (Map.Entry<Server, Endpoint> e : endpoints.entrySet()) {
                e.getValue().client.handshake();
                System.err.println("warm-up " + e.getKey().name() + ": first reply "
                        + e.getValue().client.sampleReply());
                for (int w = 0; w < warmup; w++) {
                    e.getValue().client.run(256, 100_000);
                    e.getValue().client.run(1, 10_000);
                }
            }
            Map<String, List<Result>> byRow = new LinkedHashMap<>();
            for (int window : windows) {
                for (Server s : servers) {
                    byRow.put(key(s.name(), window), new ArrayList<>());
                }
            }
            for (int r = 0; r < rounds; r++) {
                for (int window : windows) {
                    int calls = window == 1 ? calls1 : callsN;
                    // each round is cut into slices that visit every server in turn, so each server's round is
                    // spread over the same stretch of time as the others' (a burst of load hits all of them)
                    for (Endpoint e : endpoints.values()) {
                        e.beginRound();
                    }
                    for (int slice = 0; slice < slices; slice++) {
                        int n = calls / slices + (slice < calls % slices ? 1 : 0);
                        for (Endpoint e : endpoints.values()) {
                            e.measureSlice(window, n);
                        }
                    }
                    for (Map.Entry<Server, Endpoint> e : endpoints.entrySet()) {
                        Result res = e.getValue().endRound(window);
                        byRow.get(key(e.getKey().name(), window)).add(res);
                        System.err.printf(Locale.ROOT, "round %d window %d %-44s %,10.0f calls/s p50 %8.1f µs "
                                + "p99 %8.1f µs cpu %.2f µs/call%n", r, window, e.getKey().name(),
                                res.callsPerSecond(), res.p50(), res.p99(), res.cpuMicrosPerCall());
                        if (e.getValue().lastThreads != null) {
                            System.err.println(e.getValue().lastThreads);
                        }
                    }
                }
            }
            System.err.printf(Locale.ROOT, "done in %.0f s%n", (System.nanoTime() - started) / 1e9);
            printTable(byRow, rounds);
            ratios.print(byRow);
        } finally {
            for (Endpoint e : endpoints.values()) {
                e.closeInput();
            }
            for (Endpoint e : endpoints.values()) {
                e.awaitExit();
            }
        }
    }

    static String key(String server, int window) {
        return server + "@" + window;
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Ends the JVM if no call completes for two minutes (a dead or stuck server), instead of hanging. */
    private static void startWatchdog(AtomicLong progress) {
        Thread t = new Thread(() -> {
            long last = -1;
            while (true) {
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    return;
                }
                long now = progress.get();
                if (now == last) {
                    System.err.println("no progress for 120 s: a server is stuck or dead; giving up");
                    Runtime.getRuntime().halt(2);
                }
                last = now;
            }
        }, "pipebench-watchdog");
        t.setDaemon(true);
        t.start();
    }

    // ---- reporting

    static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double min(List<Result> rs, ToDoubleFunction<Result> f) {
        return rs.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    static double max(List<Result> rs, ToDoubleFunction<Result> f) {
        return rs.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    /** {@code median (min–max)} with {@code fmt} for each number. */
    static String spread(List<Result> rs, ToDoubleFunction<Result> f, String fmt) {
        return String.format(Locale.ROOT, fmt + " (" + fmt + "–" + fmt + ")", median(rs, f), min(rs, f), max(rs, f));
    }

    static void printTable(Map<String, List<Result>> byRow, int rounds) {
        System.out.println();
        System.out.println("Median over " + rounds + " measured rounds, (min–max) of those rounds:");
        System.out.println();
        System.out.println("| server | window | calls/round | calls/s | p50 µs | p99 µs | server CPU µs/call |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (List<Result> rs : byRow.values()) {
            if (rs.isEmpty()) {
                continue;
            }
            Result first = rs.get(0);
            System.out.printf(Locale.ROOT, "| %s | %d | %,d | %s | %s | %s | %s |%n", first.server(), first.window(),
                    first.calls(), spread(rs, Result::callsPerSecond, "%,.0f"), spread(rs, Result::p50, "%.1f"),
                    spread(rs, Result::p99, "%.1f"), spread(rs, Result::cpuMicrosPerCall, "%.2f"));
        }
    }

    /**
     * The issue's ratios, from the medians; and, since rounds are interleaved, the same ratio taken round by round
     * (round r of one server against round r of the other) as min–max.
     */
    static void printRatios(Map<String, List<Result>> byRow) {
        System.out.println();
        System.out.println("| ratio (from medians) | value | per-round min–max | target |");
        System.out.println("|---|---:|---:|---|");
        for (String plumb : List.of(PLUMB, PLUMB_IMMEDIATE)) {
            ratio(byRow, plumb + " / " + LOOP + ", calls/s at window 256", key(plumb, 256), key(LOOP, 256),
                    Result::callsPerSecond, "≥ 1.5×");
            ratio(byRow, plumb + " / " + LSP4J + ", calls/s at window 256", key(plumb, 256), key(LSP4J, 256),
                    Result::callsPerSecond, "≥ 4×");
            List<Result> cpu = byRow.get(key(plumb, 256));
            if (cpu != null && !cpu.isEmpty()) {
                System.out.printf(Locale.ROOT, "| %s, server CPU µs/call at window 256 | %.2f µs | %.2f–%.2f | "
                        + "≤ 2 µs |%n", plumb, median(cpu, Result::cpuMicrosPerCall),
                        min(cpu, Result::cpuMicrosPerCall), max(cpu, Result::cpuMicrosPerCall));
            }
            ratio(byRow, plumb + " / " + LOOP + ", p50 latency at window 1", key(plumb, 1), key(LOOP, 1),
                    Result::p50, "≤ 1.1×");
            // CPU per call moves far less with the machine's load than calls/s: the same comparisons by CPU
            ratio(byRow, LOOP + " / " + plumb + ", server CPU per call at window 256", key(LOOP, 256),
                    key(plumb, 256), Result::cpuMicrosPerCall, "(load-robust view of ≥ 1.5×)");
            ratio(byRow, LSP4J + " / " + plumb + ", server CPU per call at window 256", key(LSP4J, 256),
                    key(plumb, 256), Result::cpuMicrosPerCall, "(load-robust view of ≥ 4×)");
        }
        ratio(byRow, PLUMB_CL + " / " + LOOP_CL + ", calls/s at window 256", key(PLUMB_CL, 256), key(LOOP_CL, 256),
                Result::callsPerSecond, "(LSP framing)");
        ratio(byRow, PLUMB_CL + " / " + LSP4J + ", calls/s at window 256", key(PLUMB_CL, 256), key(LSP4J, 256),
                Result::callsPerSecond, "(LSP framing)");
        ratio(byRow, LOOP + " / " + LSP4J + ", calls/s at window 256", key(LOOP, 256), key(LSP4J, 256),
                Result::callsPerSecond, "(context)");
        ratio(byRow, PLUMB + " / " + CAT + ", calls/s at window 256", key(PLUMB, 256), key(CAT, 256),
                Result::callsPerSecond, "(context)");
    }

    static void ratio(Map<String, List<Result>> byRow, String label, String a, String b,
                              ToDoubleFunction<Result> f, String target) {
        List<Result> ra = byRow.get(a);
        List<Result> rb = byRow.get(b);
        if (ra == null || rb == null || ra.isEmpty() || rb.isEmpty()) {
            return;
        }
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
            double q = f.applyAsDouble(ra.get(i)) / f.applyAsDouble(rb.get(i));
            lo = Math.min(lo, q);
            hi = Math.max(hi, q);
        }
        System.out.printf(Locale.ROOT, "| %s | %.2f× | %.2f–%.2f× | %s |%n", label, median(ra, f) / median(rb, f), lo,
                hi, target);
    }

    // ---- CPU time of a child

    /** On-CPU nanoseconds of a process: per-thread schedstat where available, else utime+stime ticks. */
    public static final class CpuClock {
        private final long pid;
        private final boolean schedstat;
        private Map<String, Long> threads = new HashMap<>();

        /** A clock for the process {@code pid}. */
        public CpuClock(long pid) {
            this.pid = pid;
            this.schedstat = Files.isReadable(Path.of("/proc/" + pid + "/task/" + pid + "/schedstat"))
                    && readSchedstat(Path.of("/proc/self/schedstat")) > 0;
        }

        /** Starts a measurement. */
        public void start() throws IOException {
            threads = schedstat ? snapshot() : Map.of("ticks", cpuNanos(pid));
        }

        /** CPU nanoseconds since {@link #start()}. */
        public long elapsed() throws IOException {
            return elapsed(null);
        }

        /**
         * CPU nanoseconds since {@link #start()}; if {@code byThread} is not null, also adds each thread's share to it
         * under the thread's name (digits folded to {@code #}, so pool threads add up).
         */
        long elapsed(Map<String, Long> byThread) throws IOException {
            if (!schedstat) {
                return cpuNanos(pid) - threads.get("ticks");
            }
            Map<String, Long> now = snapshot();
            long sum = 0;
            for (Map.Entry<String, Long> t : now.entrySet()) {
                long d = t.getValue() - threads.getOrDefault(t.getKey(), 0L);
                sum += d;
                if (byThread != null && d > 0) {
                    String name;
                    try {
                        name = Files.readString(Path.of("/proc/" + pid + "/task/" + t.getKey() + "/comm")).trim()
                                .replaceAll("[0-9]+", "#");
                    } catch (IOException e) {
                        name = "(exited)";
                    }
                    byThread.merge(name, d, Long::sum);
                }
            }
            return sum;
        }

        private Map<String, Long> snapshot() throws IOException {
            Map<String, Long> m = new HashMap<>();
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    long ns = readSchedstat(t.resolve("schedstat"));
                    if (ns >= 0) {
                        m.put(t.getFileName().toString(), ns);
                    }
                }
            }
            return m;
        }

        private static long readSchedstat(Path p) {
            try {
                String s = Files.readString(p);
                return Long.parseLong(s.substring(0, s.indexOf(' ')));
            } catch (NoSuchFileException e) {
                return -1; // the thread exited meanwhile
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** utime+stime of a process in nanoseconds (10 ms resolution). */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * TICK_NANOS;
    }

    /** One running server child and its client. */
    static final class Endpoint {
        final Server server;
        final Process process;
        final Client client;
        final CpuClock cpu;
        /** The last round's CPU split by thread, with {@code -Dpipebench.threads=true}. */
        String lastThreads;

        Endpoint(Server server, Workload workload, AtomicLong progress) throws IOException {
            this.server = server;
            this.process = new ProcessBuilder(server.argv()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            this.client = new Client(process, server.contentLength(), workload, progress);
            this.cpu = new CpuClock(process.pid());
        }

        private final List<Run> slices = new ArrayList<>();
        private long roundCpuNanos;
        private Map<String, Long> roundThreads;

        void beginRound() {
            slices.clear();
            roundCpuNanos = 0;
            roundThreads = THREADS ? new HashMap<>() : null;
        }

        void measureSlice(int window, int calls) throws IOException {
            cpu.start();
            slices.add(client.run(window, calls));
            roundCpuNanos += cpu.elapsed(roundThreads);
        }

        /** The round's result: its slices' calls over their summed time, their latencies, their CPU. */
        Result endRound(int window) {
            long elapsed = slices.stream().mapToLong(Run::elapsedNanos).sum();
            long[] latencies = slices.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray();
            int calls = latencies.length;
            if (roundThreads != null) {
                StringBuilder sb = new StringBuilder("    server CPU µs/call by thread:");
                roundThreads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .filter(e -> e.getValue() / 1000.0 / calls >= 0.005)
                        .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(),
                                e.getValue() / 1000.0 / calls)));
                lastThreads = sb.toString();
            }
            return new Run(elapsed, latencies).result(server.name(), window, roundCpuNanos / 1000.0 / calls);
        }

        /** Ends the child's stdin: every server exits at end of input. */
        void closeInput() {
            try {
                client.close();
            } catch (IOException ignored) {
                // the child is gone already
            }
        }

        void awaitExit() throws InterruptedException {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                System.err.println(server.name() + " did not exit 10 s after the end of its input; killed");
                process.destroyForcibly();
            }
        }
    }

    record Run(long elapsedNanos, long[] latencies) {
        Result result(String server, int window, double cpuMicrosPerCall) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return new Result(server, window, sorted.length, sorted.length * 1e9 / elapsedNanos,
                    pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), cpuMicrosPerCall);
        }

        private static double pct(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1000.0;
        }
    }

    /**
     * The lean client, one thread: write what the window allows in one {@code write}, one bulk {@code read},
     * match the complete replies in it, repeat. It never blocks in {@code write} for long: at most {@code window}
     * requests are unanswered, and {@link #run} refuses windows whose requests would not fit in a pipe's 64 KiB.
     */
    static final class Client {
        private static final byte[] CL_HEAD = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CRLFCRLF = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final int PIPE_BYTES = 65536;

        private final OutputStream out;
        private final FrameReader in;
        private final boolean contentLength;
        private final AtomicLong progress;
        private final Workload workload;
        private byte[] wbuf = new byte[PIPE_BYTES];
        private int wlen;
        private long nextId = 1;

        Client(Process p, boolean contentLength, Workload workload, AtomicLong progress) {
            this.out = p.getOutputStream();
            this.in = new FrameReader(p.getInputStream(), contentLength);
            this.contentLength = contentLength;
            this.workload = workload;
            this.progress = progress;
        }

        /** Sends the workload's handshake frames; waits for the reply of each that has an id. */
        void handshake() throws IOException {
            for (String frame : workload.handshake()) {
                byte[] body = frame.getBytes(StandardCharsets.UTF_8);
                wlen = 0;
                if (contentLength) {
                    append(CL_HEAD);
                    appendNumber(body.length);
                    append(CRLFCRLF);
                }
                append(body);
                if (!contentLength) {
                    appendByte('\n');
                }
                out.write(wbuf, 0, wlen);
                out.flush();
                if (frame.contains("\"id\"")) {
                    boolean[] answered = {false};
                    while (!answered[0]) {
                        in.readOnce((f, off, len) -> {
                            answered[0] = true;
                            System.err.println("handshake reply: " + new String(f, off, Math.min(len, 300),
                                    StandardCharsets.UTF_8));
                        });
                    }
                }
            }
        }

        /** Sends one call and returns its reply as text (printed once per server, to show what it answers). */
        String sampleReply() throws IOException {
            String[] reply = new String[1];
            long id = nextId++;
            wlen = 0;
            appendRequest(id, 1);
            out.write(wbuf, 0, wlen);
            out.flush();
            while (reply[0] == null) {
                in.readOnce((f, off, len) -> reply[0] = new String(f, off, len, StandardCharsets.UTF_8));
            }
            return reply[0];
        }

        Run run(int window, int calls) throws IOException {
            long base = nextId;
            nextId += calls;
            long[] sent = new long[calls];
            long[] latency = new long[calls];
            int requestBytes = requestBytes(base + calls, calls);
            if ((long) window * requestBytes > PIPE_BYTES - 4096) {
                throw new IllegalArgumentException("window " + window + " × " + requestBytes
                        + " bytes would not fit in a pipe: the one-thread client could deadlock");
            }
            int[] received = {0};
            long[] readAt = {0};
            FrameReader.Handler onReply = (f, off, len) -> {
                long id = FrameReader.idOf(f, off, len);
                int i = (int) (id - base);
                if (i < 0 || i >= calls || latency[i] != 0) {
                    throw new IllegalStateException("unexpected reply id " + id + ": "
                            + new String(f, off, Math.min(len, 300), StandardCharsets.UTF_8));
                }
                latency[i] = Math.max(1, readAt[0] - sent[i]);
                received[0]++;
            };
            int next = 0;
            long start = System.nanoTime();
            while (received[0] < calls) {
                int room = Math.min(window - (next - received[0]), calls - next);
                if (room > 0) {
                    wlen = 0;
                    for (int j = 0; j < room; j++) {
                        appendRequest(base + next + j, next + j);
                    }
                    long now = System.nanoTime();
                    for (int j = 0; j < room; j++) {
                        sent[next + j] = now;
                    }
                    next += room;
                    out.write(wbuf, 0, wlen);
                    out.flush();
                }
                in.fill();
                readAt[0] = System.nanoTime();
                in.drain(onReply);
                progress.lazySet(progress.get() + 1);
            }
            long elapsed = System.nanoTime() - start;
            return new Run(elapsed, latency);
        }

        private int requestBytes(long id, int n) {
            wlen = 0;
            appendRequest(id, n);
            return wlen;
        }

        private void appendRequest(long id, int n) {
            int bodyLength = workload.head().length + digits(n) + workload.mid().length + digits(id)
                    + workload.tail().length;
            if (contentLength) {
                append(CL_HEAD);
                appendNumber(bodyLength);
                append(CRLFCRLF);
            }
            append(workload.head());
            appendNumber(n);
            append(workload.mid());
            appendNumber(id);
            append(workload.tail());
            if (!contentLength) {
                appendByte('\n');
            }
        }

        private void append(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, wbuf, wlen, b.length);
            wlen += b.length;
        }

        private void appendByte(int b) {
            ensure(1);
            wbuf[wlen++] = (byte) b;
        }

        private void appendNumber(long v) {
            int d = digits(v);
            ensure(d);
            for (int i = wlen + d - 1; i >= wlen; i--) {
                wbuf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            wlen += d;
        }

        private static int digits(long v) {
            int d = 1;
            while (v >= 10) {
                v /= 10;
                d++;
            }
            return d;
        }

        private void ensure(int n) {
            if (wlen + n > wbuf.length) {
                wbuf = Arrays.copyOf(wbuf, Math.max(wlen + n, wbuf.length * 2));
            }
        }

        void close() throws IOException {
            out.close();
        }
    }

    /** Reads replies in bulk and hands out each complete frame (a line, or a Content-Length body) in place. */
    static final class FrameReader {
        interface Handler {
            void frame(byte[] buf, int off, int len);
        }

        private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
        private final InputStream in;
        private final boolean contentLength;
        private byte[] buf = new byte[1 << 17];
        private int start;
        private int end;
        private int scan;
        private int bodyStart = -1;
        private int bodyLength;

        FrameReader(InputStream in, boolean contentLength) {
            this.in = in;
            this.contentLength = contentLength;
        }

        /** One blocking bulk read, then every complete frame to {@code handler}. */
        void readOnce(Handler handler) throws IOException {
            fill();
            drain(handler);
        }

        /** One blocking bulk read (after making room). */
        void fill() throws IOException {
            if (buf.length - end < (1 << 16)) {
                int shift = start;
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= shift;
                start = 0;
                scan -= shift;
                if (bodyStart >= 0) {
                    bodyStart -= shift;
                }
                if (buf.length - end < (1 << 16)) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw new UncheckedIOException(new IOException("the server closed its stdout"));
            }
            end += n;
        }

        /** Every complete frame read so far to {@code handler}. */
        void drain(Handler handler) {
            while (true) {
                if (!contentLength) {
                    int nl = -1;
                    for (int i = scan; i < end; i++) {
                        if (buf[i] == '\n') {
                            nl = i;
                            break;
                        }
                    }
                    if (nl < 0) {
                        scan = end;
                        return;
                    }
                    int len = nl - start;
                    if (len > 0 && buf[nl - 1] == '\r') {
                        len--;
                    }
                    if (len > 0) {
                        handler.frame(buf, start, len);
                    }
                    start = nl + 1;
                    scan = start;
                } else {
                    if (bodyStart < 0) {
                        int headersEnd = -1;
                        for (int i = Math.max(start, scan - 3); i + 3 < end; i++) {
                            if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                                headersEnd = i;
                                break;
                            }
                        }
                        if (headersEnd < 0) {
                            scan = end;
                            return;
                        }
                        bodyLength = contentLengthOf(buf, start, headersEnd);
                        bodyStart = headersEnd + 4;
                    }
                    if (end - bodyStart < bodyLength) {
                        return;
                    }
                    handler.frame(buf, bodyStart, bodyLength);
                    start = bodyStart + bodyLength;
                    scan = start;
                    bodyStart = -1;
                }
            }
        }

        private static int contentLengthOf(byte[] b, int from, int to) {
            int line = from;
            while (line < to) {
                int eol = line;
                while (eol < to && b[eol] != '\r') {
                    eol++;
                }
                if (eol - line > CONTENT_LENGTH.length && matchesIgnoreCase(b, line, CONTENT_LENGTH)) {
                    int value = 0;
                    for (int i = line + CONTENT_LENGTH.length; i < eol; i++) {
                        if (b[i] >= '0' && b[i] <= '9') {
                            value = value * 10 + (b[i] - '0');
                        }
                    }
                    return value;
                }
                line = eol + 2;
            }
            throw new IllegalStateException("no Content-Length header in "
                    + new String(b, from, to - from, StandardCharsets.US_ASCII));
        }

        private static boolean matchesIgnoreCase(byte[] b, int off, byte[] lower) {
            for (int i = 0; i < lower.length; i++) {
                int c = b[off + i];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != lower[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The numeric id of a reply ({@code "id":123} or {@code "id":"123"}). */
        static long idOf(byte[] f, int off, int len) {
            int to = off + len;
            outer:
            for (int i = off; i + ID.length < to; i++) {
                for (int j = 0; j < ID.length; j++) {
                    if (f[i + j] != ID[j]) {
                        continue outer;
                    }
                }
                int k = i + ID.length;
                while (k < to && (f[k] == ' ' || f[k] == '"')) {
                    k++;
                }
                long id = 0;
                while (k < to && f[k] >= '0' && f[k] <= '9') {
                    id = id * 10 + (f[k++] - '0');
                }
                return id;
            }
            throw new IllegalStateException("no id in " + new String(f, off, Math.min(len, 300),
                    StandardCharsets.UTF_8));
        }
    }
}
