package dev.plumb.bench.pipe;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The pipe benchmark harness: spawns an echo server as a child process and drives it over its stdin/stdout with a
 * lean client (a writer thread keeping {@code window} calls in flight, a reader thread matching replies by id),
 * measuring throughput, latency percentiles and the child's CPU time per call ({@code /proc/<pid>/stat}).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.pipe.PipeBench [calls1 callsN rounds
 * [filter]]}; {@code -Dpipebench.serverJvmArgs="…"} adds JVM options to the server children.
 * Servers: Plumb's {@code StdioServer} (handlers on {@code parallel()} and on {@code immediate()}), a hand-written
 * Jackson loop, {@code cat} (the raw ceiling of the pipe: no JSON at all), and LSP4J's {@code Launcher}.
 */
public final class PipeBench {

    private static final long TICK_NANOS = 10_000_000L; // CLK_TCK = 100
    private static final String FILLER = "x".repeat(80);

    private PipeBench() {
    }

    record Server(String name, List<String> argv, boolean contentLength) {
    }

    record Result(String server, int window, int calls, double callsPerSecond, double p50, double p90, double p99,
                  double cpuMicrosPerCall) {
    }

    /** Runs every server at window 1 and 256 and prints a Markdown table. */
    public static void main(String[] args) throws Exception {
        int calls1 = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int callsN = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String only = args.length > 3 ? args[3] : "";
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        List<String> jvm = new ArrayList<>(List.of(java, "-cp", cp, "-Xmx512m", "-XX:+UseSerialGC"));
        // e.g. -Dpipebench.serverJvmArgs=-XX:+UseParallelGC; not for JFR, whose start message goes to stdout (the
        // protocol): start a recording with `jcmd <server pid> JFR.start duration=5s filename=…` instead
        String extra = System.getProperty("pipebench.serverJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        List<Server> servers = List.of(
                new Server("cat (raw pipe ceiling)", List.of("cat"), false),
                new Server("Jackson loop (hand-written)", concat(jvm, JacksonLoopServer.class.getName()), false),
                new Server("Plumb StdioServer, immediate()", concat(jvm, PlumbEchoServer.class.getName(),
                        "--immediate"), false),
                new Server("Plumb StdioServer, parallel()", concat(jvm, PlumbEchoServer.class.getName()), false),
                new Server("LSP4J Launcher", concat(jvm, Lsp4jEchoServer.class.getName()), true));
        List<Result> results = new ArrayList<>();
        for (Server s : servers) {
            if (!only.isEmpty() && !s.name().toLowerCase(Locale.ROOT).contains(only.toLowerCase(Locale.ROOT))) {
                continue;
            }
            System.err.println("== " + s.name());
            results.addAll(measure(s, calls1, callsN, rounds));
        }
        System.out.println("| server | window | calls | calls/s | p50 µs | p90 µs | p99 µs | server CPU µs/call |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %,.0f | %.1f | %.1f | %.1f | %.2f |%n", r.server(),
                    r.window(), r.calls(), r.callsPerSecond(), r.p50(), r.p90(), r.p99(), r.cpuMicrosPerCall());
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    private static List<Result> measure(Server server, int calls1, int callsN, int rounds) throws Exception {
        Process p = new ProcessBuilder(server.argv()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Client client = new Client(p, server.contentLength());
        try {
            for (int w = 0; w < 3; w++) { // warm-up: let both JITs settle before measuring
                client.run(256, 100_000);
                client.run(1, 10_000);
            }
            List<Result> out = new ArrayList<>();
            for (int window : new int[] {1, 256}) {
                int calls = window == 1 ? calls1 : callsN;
                Result best = null;
                for (int r = 0; r < rounds; r++) {
                    long cpu0 = cpuNanos(p.pid());
                    Run run = client.run(window, calls);
                    long cpu1 = cpuNanos(p.pid());
                    Result res = run.result(server.name(), window, (cpu1 - cpu0) / 1000.0 / calls);
                    System.err.printf(Locale.ROOT, "  window %d round %d: %,.0f calls/s p50 %.1f µs cpu %.2f µs%n",
                            window, r, res.callsPerSecond(), res.p50(), res.cpuMicrosPerCall());
                    if (best == null || res.callsPerSecond() > best.callsPerSecond()) {
                        best = res;
                    }
                }
                out.add(best);
            }
            return out;
        } finally {
            client.close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * TICK_NANOS;
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

    /** The lean client: a writer and a reader thread over the child's stdin/stdout. */
    static final class Client {
        private final OutputStream out;
        private final FrameReader in;
        private final boolean contentLength;
        private long nextId = 1;

        Client(Process p, boolean contentLength) {
            this.out = new BufferedOutputStream(p.getOutputStream(), 65536);
            this.in = new FrameReader(p.getInputStream(), contentLength);
            this.contentLength = contentLength;
        }

        Run run(int window, int calls) throws Exception {
            long base = nextId;
            nextId += calls;
            long[] sent = new long[calls];
            long[] latency = new long[calls];
            Semaphore permits = new Semaphore(window);
            Throwable[] failure = new Throwable[1];
            Thread reader = new Thread(() -> {
                try {
                    for (int n = 0; n < calls; n++) {
                        long id = in.nextId();
                        int i = (int) (id - base);
                        latency[i] = System.nanoTime() - sent[i];
                        permits.release();
                    }
                } catch (Throwable t) {
                    failure[0] = t;
                    permits.release(calls);
                }
            }, "bench-reader");
            reader.start();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                permits.acquire();
                if (failure[0] != null) {
                    break;
                }
                byte[] request = request(base + i, i);
                sent[i] = System.nanoTime();
                out.write(request);
                if (permits.availablePermits() == 0 || i == calls - 1) {
                    out.flush();
                }
            }
            reader.join();
            long elapsed = System.nanoTime() - start;
            if (failure[0] != null) {
                throw new IllegalStateException("reader failed", failure[0]);
            }
            return new Run(elapsed, latency);
        }

        private byte[] request(long id, int n) {
            String body = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"n\":" + n + ",\"s\":\"" + FILLER
                    + "\"},\"id\":" + id + "}";
            if (contentLength) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                return ("Content-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
            }
            return (body + "\n").getBytes(StandardCharsets.UTF_8);
        }

        void close() throws IOException {
            out.close();
        }
    }

    /** Reads frames (lines, or Content-Length bodies) and extracts the numeric id of each. */
    static final class FrameReader {
        private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
        private final InputStream in;
        private final boolean contentLength;
        private final byte[] buf = new byte[65536];
        private int pos;
        private int limit;
        private byte[] frame = new byte[4096];

        FrameReader(InputStream in, boolean contentLength) {
            this.in = in;
            this.contentLength = contentLength;
        }

        long nextId() throws IOException {
            int len;
            if (contentLength) {
                int length = -1;
                while (true) {
                    int n = readLine();
                    if (n == 0) {
                        break;
                    }
                    String header = new String(frame, 0, n, StandardCharsets.US_ASCII).trim();
                    if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(header.substring(15).trim());
                    }
                }
                len = readExactly(length);
            } else {
                do {
                    len = readLine();
                } while (len == 0);
            }
            return idOf(frame, len);
        }

        private int readByte() throws IOException {
            if (pos == limit) {
                limit = in.read(buf);
                pos = 0;
                if (limit <= 0) {
                    throw new IOException("the server closed its stdout");
                }
            }
            return buf[pos++];
        }

        private int readLine() throws IOException {
            int n = 0;
            int b;
            while ((b = readByte()) != '\n') {
                if (n == frame.length) {
                    frame = Arrays.copyOf(frame, n * 2);
                }
                frame[n++] = (byte) b;
            }
            if (n > 0 && frame[n - 1] == '\r') {
                n--;
            }
            return n;
        }

        private int readExactly(int length) throws IOException {
            if (frame.length < length) {
                frame = new byte[length];
            }
            for (int i = 0; i < length; i++) {
                frame[i] = (byte) readByte();
            }
            return length;
        }

        private static long idOf(byte[] f, int len) {
            outer:
            for (int i = 0; i + ID.length < len; i++) {
                for (int j = 0; j < ID.length; j++) {
                    if (f[i + j] != ID[j]) {
                        continue outer;
                    }
                }
                int k = i + ID.length;
                while (f[k] == ' ' || f[k] == '"') {
                    k++;
                }
                long id = 0;
                while (k < len && f[k] >= '0' && f[k] <= '9') {
                    id = id * 10 + (f[k++] - '0');
                }
                return id;
            }
            throw new IllegalStateException("no id in " + new String(f, 0, Math.min(len, 300),
                    StandardCharsets.UTF_8));
        }
    }
}
