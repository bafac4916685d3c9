package dev.plumb.bench.web;

import com.sun.net.httpserver.HttpServer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.HttpRpcServer;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Requests per second of one small JSON-RPC call over HTTP on loopback, for three servers in the same run and
 * under the same load generator (wrk when installed, else a reactor-netty client):
 *
 * <ol>
 *   <li>{@code ceiling}: a bare reactor-netty route that reads the body and answers fixed bytes;</li>
 *   <li>{@code plumb}: {@link HttpRpcServer} answering {@code subtract} through the router;</li>
 *   <li>{@code jsonrpc4j}: jsonrpc4j 1.7's {@code JsonRpcBasicServer} on the JDK's {@code HttpServer}.</li>
 * </ol>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.plumb.bench.web.HttpBenchmark [seconds]
 * [connections] [rounds] [warmupSeconds]} (defaults 5, 32, 5, 20). Every server is first warmed up (the JIT), then
 * each round measures every server once, in turn, so that background load hits all of them alike; the best and
 * the median round per server are reported. The JDK server gets {@code sun.net.httpserver.nodelay=true}, its best
 * setting (without it, Nagle's algorithm caps it near 25 requests/s per connection). Server CPU per request is the
 * JVM's process CPU time over the measurement divided by the requests (meaningful with wrk, which runs in its own
 * process; the fallback client shares the JVM). See BENCHMARKS.md.
 */
public final class HttpBenchmark {

    static final String REQUEST = "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}";
    static final String RESPONSE = "{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}";

    /** jsonrpc4j's service interface. */
    public interface Calculator {
        /** {@code minuend - subtrahend}. */
        int subtract(int minuend, int subtrahend);
    }

    /** One measurement: throughput and the server JVM's CPU time per request (all servers share this JVM). */
    private record Measurement(double requestsPerSecond, double cpuMicrosPerRequest) {
    }

    /** A server under test. */
    /**
     * A server under test.
     *
     * @param uri   where it answers
     * @param stop  stops it
     */
    private record Target(URI uri, Runnable stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }

    private HttpBenchmark() {
    }

    /** Runs the benchmark and prints a Markdown table. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        System.setProperty("sun.net.httpserver.nodelay", "true");
        boolean wrk = hasWrk();
        System.out.printf("load generator: %s, %d connections, %d s per measurement, %d rounds, %d cores, %s%n",
                wrk ? "wrk -t1" : "reactor-netty client", connections, seconds, rounds,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));

        Map<String, Target> targets = new LinkedHashMap<>();
        targets.put("ceiling (bare reactor-netty route, fixed bytes)", ceiling());
        targets.put("plumb HttpRpcServer", plumb());
        targets.put("jsonrpc4j 1.7 on JDK HttpServer", jsonrpc4j());
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Target> t : targets.entrySet()) {
                check(t.getKey(), t.getValue().uri());
                load(wrk, t.getValue().uri(), warmup, connections);
                results.put(t.getKey(), new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, Target> t : targets.entrySet()) {
                    Measurement m = load(wrk, t.getValue().uri(), seconds, connections);
                    System.out.printf("round %d  %-50s %,12.0f req/s %8.1f µs CPU/req%n", round, t.getKey(),
                            m.requestsPerSecond(), m.cpuMicrosPerRequest());
                    results.get(t.getKey()).add(m);
                }
            }
        } finally {
            targets.values().forEach(Target::close);
        }
        List<Double> best = new ArrayList<>();
        List<Double> median = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        System.out.println();
        System.out.println("| server | requests/s, best round | requests/s, median round | server CPU µs/request, median |");
        System.out.println("|---|---:|---:|---:|");
        results.forEach((k, l) -> {
            List<Double> sorted = l.stream().map(Measurement::requestsPerSecond).sorted().toList();
            List<Double> cpus = l.stream().map(Measurement::cpuMicrosPerRequest).sorted().toList();
            double b = sorted.get(sorted.size() - 1);
            double m = sorted.get(sorted.size() / 2);
            double c = cpus.get(cpus.size() / 2);
            best.add(b);
            median.add(m);
            cpu.add(c);
            System.out.printf("| %s | %,.0f | %,.0f | %.1f |%n", k, b, m, c);
        });
        System.out.printf("%nbest:   plumb / ceiling = %.1f %%   plumb / jsonrpc4j = %.1fx%n",
                100 * best.get(1) / best.get(0), best.get(1) / best.get(2));
        System.out.printf("median: plumb / ceiling = %.1f %%   plumb / jsonrpc4j = %.1fx%n",
                100 * median.get(1) / median.get(0), median.get(1) / median.get(2));
        System.out.printf("CPU:    ceiling / plumb = %.1f %%   jsonrpc4j / plumb = %.1fx%n",
                100 * cpu.get(0) / cpu.get(1), cpu.get(2) / cpu.get(1));
    }

    // ------------------------------------------------------------------------------------------------ servers

    private static Target ceiling() {
        byte[] fixed = RESPONSE.getBytes(StandardCharsets.UTF_8);
        DisposableServer s = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.post("/rpc", (req, res) -> req.receive().then(
                        res.header("Content-Type", "application/json")
                                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(fixed))).then())))
                .bindNow();
        return target(s);
    }

    private static Target plumb() {
        record Subtract(int minuend, int subtrahend) {
        }
        RpcRouter router = RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .build();
        return target(HttpRpcServer.create().host("127.0.0.1").port(0).router(router).bindNow());
    }

    private static Target target(DisposableServer s) {
        URI uri = URI.create("http://127.0.0.1:" + s.port() + "/rpc");
        return new Target(uri, s::disposeNow);
    }

    private static Target jsonrpc4j() throws IOException, ReflectiveOperationException {
        Calculator impl = (a, b) -> a - b;
        // jsonrpc4j's Jackson 2 is a runtime-only dependency, so its server is reached reflectively
        Class<?> serverClass = Class.forName("com.googlecode.jsonrpc4j.JsonRpcBasicServer");
        Object rpc = serverClass.getConstructor(Object.class, Class.class).newInstance(impl, Calculator.class);
        Method handleRequest = serverClass.getMethod("handleRequest", InputStream.class, OutputStream.class);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        http.setExecutor(pool);
        http.createContext("/rpc", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                handleRequest.invoke(rpc, in, out);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, out.size());
                try (OutputStream body = exchange.getResponseBody()) {
                    out.writeTo(body);
                }
            } catch (IOException | ReflectiveOperationException e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        http.start();
        URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/rpc");
        return new Target(uri, () -> {
            http.stop(0);
            pool.shutdownNow();
        });
    }

    /** Fails unless {@code uri} answers the request with the expected result. */
    private static void check(String name, URI uri) {
        String body = HttpClient.create().headers(h -> h.set("Content-Type", "application/json"))
                .post().uri(uri).send(Mono.just(Unpooled.wrappedBuffer(REQUEST.getBytes(StandardCharsets.UTF_8))))
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
        if (body == null || !body.replace(" ", "").contains("\"result\":19") || !body.contains("\"id\":1")) {
            throw new IllegalStateException(name + " answered " + body);
        }
    }

    // ------------------------------------------------------------------------------------------------ load

    private static boolean hasWrk() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Measurement load(boolean wrk, URI uri, int seconds, int connections) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        double[] rpsAndCount = wrk ? wrk(uri, seconds, connections) : javaLoad(uri, seconds, connections);
        long cpu1 = os.getProcessCpuTime();
        return new Measurement(rpsAndCount[0], (cpu1 - cpu0) / 1e3 / rpsAndCount[1]);
    }

    /** Requests/s and the number of requests. */
    private static double[] wrk(URI uri, int seconds, int connections) throws Exception {
        Path script = Files.createTempFile("plumb-wrk", ".lua");
        try {
            Files.writeString(script, "wrk.method = \"POST\"\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + "wrk.body = '" + REQUEST + "'\n");
            Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                    "-s", script.toString(), uri.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not finish");
            }
            if (out.contains("Non-2xx") || out.contains("Socket errors")) {
                System.out.println("wrk reported problems:\n" + out);
            }
            Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
            Matcher n = Pattern.compile("([0-9]+) requests in").matcher(out);
            if (!m.find() || !n.find()) {
                throw new IllegalStateException("unexpected wrk output:\n" + out);
            }
            return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(n.group(1))};
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Requests/s and the number of requests. */
    private static double[] javaLoad(URI uri, int seconds, int connections) {
        ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(connections)
                .pendingAcquireMaxCount(-1).build();
        try {
            HttpClient client = HttpClient.create(pool).headers(h -> h.set("Content-Type", "application/json"));
            byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
            AtomicLong done = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            Flux.range(0, connections)
                    .flatMap(i -> Mono.defer(() -> client.post().uri(uri)
                                    .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                                    .responseSingle((res, content) -> content.then(Mono.just(res.status().code()))))
                            .doOnNext(s -> done.incrementAndGet())
                            .repeat(() -> System.nanoTime() < deadline), connections)
                    .blockLast(Duration.ofSeconds(seconds + 30L));
            return new double[] {done.get() / ((System.nanoTime() - start) / 1e9), done.get()};
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
