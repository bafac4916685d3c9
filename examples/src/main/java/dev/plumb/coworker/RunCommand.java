package dev.plumb.coworker;

import dev.plumb.rpc.web.HttpRpcClient;
import dev.plumb.coworker.demo.ClassDataArchive;
import dev.plumb.coworker.demo.DemoPipe;
import dev.plumb.coworker.demo.DemoPipes;
import dev.plumb.coworker.demo.DemoQueueStore;
import dev.plumb.coworker.demo.DemoSeed;
import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.coworker.internal.TerminalDisplay;
import dev.plumb.coworker.worker.BatchRunner;
import dev.plumb.coworker.worker.ControlChannel;
import dev.plumb.coworker.worker.Coworker;
import dev.plumb.coworker.worker.PipePoolRunner;
import dev.plumb.coworker.worker.Summary;
import dev.plumb.coworker.worker.WebRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code coworker run}: the worker. Polls the queues over the control pipe (or HTTP), claims with backpressure,
 * runs batches on pool pipes logged in as each item's run_as (or over HTTP), stops gracefully on SIGINT/SIGTERM
 * (a second signal stops at once) and prints a summary. With no {@code --pipe} and no {@code --web} it runs
 * against a fresh embedded demo queue of 200 tasks and stops when it is empty.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the worker: claim queue items and run them on a pool of pipes (or over HTTP).")
public class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--pipe", paramLabel = "CMD", description = "Pipe command, e.g. 'cv pipe' (option pipe).")
    String pipe;

    @Option(names = "--web", paramLabel = "URL", description = "JSON-RPC URL, e.g. 'https://example.org/civicrm/queue?token=XXX' (option web).")
    String web;

    @Option(names = "--channel", paramLabel = "pipe|web|pipe,web", description = "Channel: pipe, web, or pipe,web (option channel).")
    String channel;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file, JSON or YAML (repeatable; later files win).")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = {"-d", "--define"}, paramLabel = "KEY=VALUE", description = "Set an option, e.g. -d workerCount=4 (repeatable).")
    List<String> defines = new ArrayList<>();

    @Option(names = "--log", paramLabel = "FILE", description = "Write the log to FILE instead of stderr (option logFile).")
    String logFile;

    @Option(names = "-v", description = "Verbose: -v debug, -vv trace (option logLevel).")
    boolean[] verbose = new boolean[0];

    @Option(names = "--until-empty", description = "Stop once no queue has claimable items and nothing is in flight (option untilEmpty).")
    boolean untilEmpty;

    @Option(names = "--demo-tasks", paramLabel = "N", defaultValue = "200", description = "Tasks in the embedded demo queue (only without --pipe/--web; default: ${DEFAULT-VALUE}).")
    long demoTasks;

    @Option(names = {"-q", "--quiet"}, description = "Only the progress bar (on a terminal), warnings, errors and the summary (logLevel warn).")
    boolean quiet;

    @Option(names = "--show-config", description = "Print the merged options as JSON and exit.")
    boolean showConfig;

    /** Lists every {@link CoworkerOption} (name, environment variable, default, help) under {@code --help}. */
    @Spec
    void listOptionsInHelp(CommandSpec spec) {
        spec.usageMessage().footer(CoworkerOption.helpText());
    }

    /** Overrides applied above the environment and below {@code -d} (the {@code debug} subcommand sets them). */
    protected List<String> overrides() {
        return List.of();
    }

    @Override
    public Integer call() throws Exception {
        try {
            return runWithSettings();
        } catch (IllegalArgumentException e) {
            System.err.println("coworker: " + e.getMessage());
            return 2;
        }
    }

    private int runWithSettings() throws Exception {
        SettingsLoader loader = new SettingsLoader();
        configFiles.forEach(loader::file);
        loader.environment(System.getenv()).defines(overrides()).defines(defines)
                .flag(CoworkerOption.PIPE, pipe, "--pipe").flag(CoworkerOption.WEB, web, "--web")
                .flag(CoworkerOption.CHANNEL, channel, "--channel")
                .flag(CoworkerOption.LOG_FILE, logFile, "--log")
                .flag(CoworkerOption.LOG_LEVEL, verbose.length >= 2 ? "trace" : verbose.length == 1 ? "debug" : quiet ? "warn" : null,
                        verbose.length > 0 ? "-v" : "--quiet")
                .flag(CoworkerOption.UNTIL_EMPTY, untilEmpty ? "true" : null, "--until-empty");
        CoworkerSettings s = loader.settings();
        boolean demo = s.get(CoworkerOption.PIPE) == null && s.get(CoworkerOption.WEB) == null;
        if (showConfig) {
            if (demo) {
                s = demoMode(loader, DemoPipes.command(
                        Path.of(System.getProperty("java.io.tmpdir"), "coworker-demo-NNNN", "queue.db"), null, null));
            }
            System.out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(s.describe()));
            return 0;
        }
        TerminalDisplay display = onTerminal(s) ? TerminalDisplay.open().orElse(null) : null;
        LogSetup.apply(s.get(CoworkerOption.LOG_LEVEL), s.get(CoworkerOption.LOG_FORMAT), s.get(CoworkerOption.LOG_FILE), display == null ? null : display::printAbove);
        Path demoDir = null;
        try {
            if (demo) {
                demoDir = Files.createTempDirectory("coworker-demo-");
                s = demoMode(loader, demoPipesIn(demoDir));
            }
            return runWorker(s, demo ? demoDir.resolve("queue.db") : null, display);
        } finally {
            if (display != null) {
                display.close();
            }
            if (demoDir != null) {
                deleteTree(demoDir);
            }
        }
    }

    /**
     * The demo's settings: its pipe, {@code --until-empty}, and a poll every 0.2 s unless {@code pollInterval} is
     * set (the demo queue is local and cheap to ask; its end is noticed two polls after the last batch).
     */
    private static CoworkerSettings demoMode(SettingsLoader loader, String pipeCommand) {
        loader.flag(CoworkerOption.PIPE, pipeCommand, "demo mode").flag(CoworkerOption.UNTIL_EMPTY, "true", "demo mode");
        if (!loader.sources().containsKey(CoworkerOption.POLL_INTERVAL.name())) {
            loader.flag(CoworkerOption.POLL_INTERVAL, "0.2", "demo mode");
        }
        return loader.settings();
    }

    /**
     * The command of the demo's pipes on {@code dir/queue.db}: {@link DemoPipe} with the class-data archive for this
     * jar and JDK (made now if there is none yet) and SQLite's library extracted once into {@code dir}.
     */
    private String demoPipesIn(Path dir) {
        Path db = dir.resolve("queue.db");
        Path archive = null;
        java.util.Optional<Path> jar = DemoPipes.codeJar();
        if (jar.isPresent()) {
            ClassDataArchive.Outcome cds = ClassDataArchive.findOrCreate(jar.get(), ClassDataArchive.cacheDir());
            archive = cds.archive().orElse(null);
            if (cds.made() || archive == null) {
                LOG.info("{}", cds.message());
            } else {
                LOG.debug("{}", cds.message());
            }
        }
        Path sqlite = DemoPipes.extractSqliteLibrary(dir).orElse(null);
        if (sqlite != null && System.getProperty("org.sqlite.lib.path") == null) {
            // this process seeds the queue with the same copy (SQLite is not loaded here yet)
            System.setProperty("org.sqlite.lib.path", sqlite.getParent().toString());
            System.setProperty("org.sqlite.lib.name", sqlite.getFileName().toString());
        }
        return DemoPipes.command(db, archive, sqlite);
    }

    /** Seeds the demo queue in {@code db} with {@code --demo-tasks} tasks. */
    private void seedDemo(Path db) {
        try (DemoQueueStore store = DemoQueueStore.open(db)) {
            DemoSeed.defaults().withTasks(demoTasks).applyTo(store);
        }
    }

    /** Runs the worker; {@code demoDb} is the demo queue to seed (once the control pipe is on its way), or null. */
    private int runWorker(CoworkerSettings s, Path demoDb, TerminalDisplay display) {
        boolean demo = demoDb != null;
        HttpRpcClient webClient = null;
        if (s.get(CoworkerOption.WEB) != null) {
            webClient = HttpRpcClient.create(s.get(CoworkerOption.WEB));
            if (s.get(CoworkerOption.WEB_TOKEN) != null) {
                webClient = webClient.token(s.get(CoworkerOption.WEB_TOKEN));
            }
        }
        ControlChannel control = s.channel().equals("web")
                ? ControlChannel.web(webClient, s.get(CoworkerOption.POLL_QUERY), s.get(CoworkerOption.REQUEST_TIMEOUT))
                : ControlChannel.pipe(s.get(CoworkerOption.PIPE), s.get(CoworkerOption.CIVICRM_VERSION),
                        s.get(CoworkerOption.POLL_QUERY), s.get(CoworkerOption.REQUEST_TIMEOUT));
        if (demo) {
            // the control pipe's JVM starts while the queue is seeded here; the first poll comes after the seed
            try {
                seedDemo(demoDb);
            } catch (RuntimeException e) {
                control.kill();
                throw e;
            }
        }
        BatchRunner runner = s.channel().contains("web") ? new WebRunner(webClient)
                : new PipePoolRunner(s.get(CoworkerOption.PIPE), s.get(CoworkerOption.WORKER_COUNT),
                        s.get(CoworkerOption.WORKER_REQUESTS), s.get(CoworkerOption.WORKER_DURATION),
                        s.get(CoworkerOption.WORKER_TIMEOUT), s.get(CoworkerOption.REQUEST_TIMEOUT));
        Coworker coworker = new Coworker(control, runner, s.get(CoworkerOption.WORKER_COUNT),
                s.get(CoworkerOption.POLL_INTERVAL), s.get(CoworkerOption.GRACE_PERIOD),
                s.get(CoworkerOption.AGENT_DURATION), s.get(CoworkerOption.UNTIL_EMPTY));
        LOG.info("coworker starting: channel {}, {} worker(s), {}", s.channel(), s.get(CoworkerOption.WORKER_COUNT),
                demo ? "embedded demo queue (" + demoTasks + " tasks)" : s.channel().equals("web")
                        ? s.describe().get(CoworkerOption.WEB.name()) : abbreviate(s.get(CoworkerOption.PIPE)));
        installSignals(coworker);
        Disposable progress = progress(coworker, display);
        Coworker.StopReason reason = coworker.run().block();
        progress.dispose();
        if (display != null) {
            display.update(coworker.stats());
            display.close();
        }
        printSummary(coworker, reason, s);
        return 0;
    }

    /**
     * Whether to try a progress display on the terminal: coworker runs interactively ({@link System#console()}:
     * stdin and stdout are a terminal) with text logs. Otherwise (redirected, piped, {@code logFormat=json})
     * progress goes to the log every 10 s as a plain line.
     */
    private static boolean onTerminal(CoworkerSettings s) {
        return System.console() != null && "text".equals(s.get(CoworkerOption.LOG_FORMAT));
    }

    private static String abbreviate(String command) {
        return command.length() <= 100 ? command : command.substring(0, 50) + " … " + command.substring(command.length() - 45);
    }

    private static void installSignals(Coworker coworker) {
        AtomicInteger signals = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (signals.incrementAndGet() == 1) {
                        LOG.info("SIG{}: stopping after in-flight batches (send again to stop at once)", name);
                        coworker.stop();
                    } else {
                        LOG.warn("SIG{} again: stopping now", name);
                        coworker.stopNow();
                        // no graceful anything: every pipe process this coworker started is killed
                        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                    }
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }

    private static Disposable progress(Coworker coworker, TerminalDisplay display) {
        if (display != null) {
            return Flux.interval(Duration.ZERO, Duration.ofMillis(250))
                    .subscribe(t -> display.update(coworker.stats()));
        }
        return Flux.interval(Duration.ofSeconds(10), Duration.ofSeconds(10))
                .subscribe(t -> LOG.info("progress: {}", coworker.stats().progressLine()));
    }

    private static void printSummary(Coworker coworker, Coworker.StopReason reason, CoworkerSettings s) {
        Map<String, Object> process = new LinkedHashMap<>();
        if (!"web".equals(s.channel())) {
            process.put("controlPipeStarts", coworker.controlStarts());
        }
        process.putAll(coworker.runnerCounters());
        process.put("peakHeapMb", peakHeapMb());
        process.put("peakRssMb", peakRssMb());
        Summary summary = new Summary(reason, coworker.stats(), process);
        if ("json".equals(s.get(CoworkerOption.LOG_FORMAT))) {
            System.out.println(JsonMapper.builder().build().writeValueAsString(Map.of("summary", summary.toMap())));
        } else {
            System.out.print(summary.toText());
        }
        System.out.flush();
    }

    private static long peakHeapMb() {
        long bytes = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024 * 1024);
    }

    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not on Linux
        }
        return -1;
    }

    /** The shell command of a demo pipe on {@code db} (no class-data archive: for tests and tools). */
    public static String demoPipeCommand(Path db) {
        return DemoPipes.command(db, null, null);
    }

    /** Quotes {@code s} for {@code sh}. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
