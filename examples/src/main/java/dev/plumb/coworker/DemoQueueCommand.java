package dev.plumb.coworker;

import dev.plumb.coworker.demo.DemoPipe;
import dev.plumb.coworker.demo.DemoQueueService;
import dev.plumb.coworker.demo.DemoQueueStore;
import dev.plumb.coworker.demo.DemoSeed;
import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.coworker.internal.PrefixingOutputStream;
import dev.plumb.rpc.pipe.StdioServer;
import dev.plumb.rpc.web.BearerTokenAuthenticator;
import dev.plumb.rpc.web.HttpRpcServer;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.netty.DisposableServer;

/**
 * {@code coworker demo-queue}: the embedded demo queue, a {@code Civi::pipe}-compatible peer on stdio (welcome
 * header, {@code echo}, {@code options}, {@code login}, {@code api4} Queue methods) or the same methods over HTTP.
 */
@Command(name = "demo-queue", mixinStandardHelpOptions = true,
        description = "Serve the embedded demo queue on stdio (a Civi::pipe-compatible peer) or over HTTP.")
public final class DemoQueueCommand implements Callable<Integer> {

    /** The welcome header the demo queue sends first on stdio. */
    public static final String WELCOME_HEADER = "{\"Civi::pipe\":{\"v\":\"5.80.0\",\"t\":\"trusted\",\"l\":[\"login\"]}}";

    @Option(names = "--db", description = "Database file shared by all demo-queue processes (default: ${DEFAULT-VALUE}).",
            defaultValue = "coworker-demo.db")
    Path db;

    @Option(names = "--tasks", description = "Seed this many tasks when the database holds none (default: 0).",
            defaultValue = "0")
    long tasks;

    @Option(names = "--mix", description = "Seeded task mix: mixed, noop or sleep (default: ${DEFAULT-VALUE}).",
            defaultValue = "mixed")
    String mix;

    @Option(names = "--sleep-ms", description = "Duration of seeded sleep tasks (default: ${DEFAULT-VALUE}).",
            defaultValue = "20")
    int sleepMillis;

    @Option(names = "--queues", description = "Seeded queues (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int queues;

    @Option(names = "--contacts", description = "Seeded run_as contacts (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int contacts;

    @Option(names = "--batch-limit", description = "Seeded queues' batch_limit (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int batchLimit;

    @Option(names = "--lease-time", description = "Seeded queues' lease_time in seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "60")
    int leaseTime;

    @Option(names = "--retry-limit", description = "Seeded queues' retry_limit (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int retryLimit;

    @Option(names = "--seed-only", description = "Seed and exit without serving.")
    boolean seedOnly;

    @Option(names = "--http", paramLabel = "PORT",
            description = "Serve JSON-RPC over HTTP at http://HOST:PORT/rpc instead of stdio (0 picks a port; the URL is printed on stdout).")
    Integer httpPort;

    @Option(names = "--host", description = "HTTP bind address (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--token", description = "Bearer token required over HTTP (header or ?token=).")
    String token;

    @Option(names = "--log-level", description = "Log level on stderr (default: ${DEFAULT-VALUE}).", defaultValue = "warn")
    String logLevel;

    @Option(names = "--refuse-login", split = ",", paramLabel = "CONTACT",
            description = "Make login fail for these contact ids (to try coworker's handling of a pipe that cannot log in).")
    java.util.List<Long> refuseLogin = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // stdout is the protocol: keep a private handle on it and send every stray print to stderr
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        LogSetup.apply(logLevel, "text", null);
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            if (tasks > 0 && store.itemCount() == 0) {
                new DemoSeed(tasks, mix, sleepMillis, queues, contacts, batchLimit, leaseTime, retryLimit)
                        .applyTo(store);
            }
            if (seedOnly) {
                return 0;
            }
            if (httpPort != null) {
                try (DemoQueueService service = DemoQueueService.forHttp(store)) {
                    HttpRpcServer http = HttpRpcServer.create().host(host).port(httpPort).router(service.router());
                    if (token != null) {
                        http = http.authenticator(BearerTokenAuthenticator.of(token));
                    }
                    DisposableServer server = http.bindNow();
                    String url = "http://" + host + ":" + server.port() + "/rpc";
                    protocolOut.write((url + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    protocolOut.flush();
                    Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow));
                    server.onDispose().block();
                }
                return 0;
            }
        }
        // the same stdio peer that coworker starts as its demo pipes
        DemoPipe.serve(db, refuseLogin);
        return 0;
    }
}
