package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * How to start a subprocess that speaks JSON-RPC on its stdin/stdout; an immutable fluent configuration, nothing
 * runs until {@link #connect()}.
 *
 * <pre>{@code
 * PipeTransport cv = PipeTransport.shell("cv pipe")
 *     .environment(Map.of("COWORKER_PIPE", "1"))
 *     .requirements(PipeRequirements.none().minimumVersion("5.51").requireTrusted());
 * PipeConnection connection = cv.connect().block();   // or compose it; ready after the welcome header
 * }</pre>
 *
 * <p>Defaults: newline-delimited framing with a 16 MiB limit, no welcome header, the parent's environment and
 * working directory, and a name (for the stderr logger {@code dev.plumb.rpc.pipe.<name>} and thread names) taken
 * from the command's first word.
 */
public final class PipeTransport {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Settings settings;

    private PipeTransport(Settings settings) {
        this.settings = settings;
    }

    /** A pipe running {@code argv} directly (no shell), e.g. {@code command("cv", "pipe")}. */
    public static PipeTransport command(String... argv) {
        return command(List.of(argv));
    }

    /** A pipe running {@code argv} directly (no shell). */
    public static PipeTransport command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        return new PipeTransport(new Settings(List.copyOf(argv), display(argv), defaultName(argv.get(0))));
    }

    /** A pipe running {@code commandLine} with {@code sh -c}, e.g. {@code shell("ssh host cv pipe")}. */
    public static PipeTransport shell(String commandLine) {
        String first = commandLine.trim().split("\\s+", 2)[0];
        return new PipeTransport(new Settings(List.of("sh", "-c", commandLine), commandLine, defaultName(first)));
    }

    /**
     * A copy that adds {@code variables} to the child's environment (on top of the parent's and of those added
     * before). Default: the parent's environment only.
     */
    public PipeTransport environment(Map<String, String> variables) {
        Map<String, String> more = Map.copyOf(variables);
        return with(s -> {
            Map<String, String> env = new LinkedHashMap<>(s.environment);
            env.putAll(more);
            s.environment = Map.copyOf(env);
        });
    }

    /** A copy that sets one environment variable for the child (see {@link #environment(Map)}). Default: none. */
    public PipeTransport environment(String key, String value) {
        return environment(Map.of(key, value));
    }

    /** A copy that runs the child in {@code directory}. Default: the parent's working directory. */
    public PipeTransport directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return with(s -> s.directory = directory);
    }

    /** A copy with another framing. Default: newline-delimited, 16 MiB ({@link Framing#newlineDelimited()}). */
    public PipeTransport framing(Framing framing) {
        Objects.requireNonNull(framing, "framing");
        return with(s -> s.framing = framing);
    }

    /**
     * A copy that expects (or not) a welcome header line before any message; the pipe is ready after it.
     * {@code true} replaces {@link #detectWelcomeHeader()}; {@code false} turns detection off too. Default:
     * {@code false}.
     */
    public PipeTransport welcomeHeader(boolean expected) {
        return with(s -> {
            s.welcomeHeader = expected;
            s.detectHeader = false;
        });
    }

    /**
     * A copy for a child that may or may not print a welcome header: the pipe is ready at once, and if the first
     * JSON line is a {@code {"Civi::pipe":{…}}} object it is taken as the header (see
     * {@link PipeConnection#welcomeHeader()}) instead of being delivered as a message. Lines before it that do not
     * start with <code>{</code>/{@code [} (noise) are delivered as usual, as they would be without detection.
     * {@link #requirements(PipeRequirements) Requirements} need a header, so they turn this into
     * {@link #welcomeHeader(boolean) welcomeHeader(true)}. Default: off.
     */
    public PipeTransport detectWelcomeHeader() {
        if (!settings.requirements.isEmpty()) {
            return this;
        }
        return with(s -> {
            s.welcomeHeader = false;
            s.detectHeader = true;
        });
    }

    /**
     * A copy that checks the welcome header against {@code requirements} (and so expects a header, unless they
     * are {@link PipeRequirements#none() none}). Default: {@link PipeRequirements#none()}.
     */
    public PipeTransport requirements(PipeRequirements requirements) {
        Objects.requireNonNull(requirements, "requirements");
        return with(s -> {
            s.requirements = requirements;
            s.welcomeHeader = s.welcomeHeader || !requirements.isEmpty();
            s.detectHeader = s.detectHeader && !s.welcomeHeader;
        });
    }

    /**
     * A copy that starts the child in a new session and process group ({@code setsid -w …}, when
     * {@code setsid} is installed; otherwise the child stays in ours, with a warning), so that signals sent to
     * this process's terminal group (Ctrl-C's SIGINT, for one) do not reach it. The child then ends
     * only through {@code stop}/{@code dispose}/{@code kill} or by itself. Default: {@code false}.
     */
    public PipeTransport newSession(boolean separate) {
        return with(s -> s.newSession = separate);
    }

    /**
     * A copy with another name: the stderr logger is {@code dev.plumb.rpc.pipe.<name>}. Default: the command's
     * first word, without its directory.
     */
    public PipeTransport name(String name) {
        String clean = defaultName(Objects.requireNonNull(name, "name"));
        return with(s -> s.name = clean);
    }

    /**
     * A copy that drops inbound frames {@code keep} rejects (logged as noise), e.g. lines of PHP warnings on a
     * child's stdout that would otherwise be answered with a parse error. Default: keep everything.
     */
    public PipeTransport inboundFilter(Predicate<byte[]> keep) {
        Objects.requireNonNull(keep, "keep");
        return with(s -> s.inboundFilter = keep);
    }

    /** The argv that is run ({@code sh -c …} for a shell command). */
    public List<String> commandLine() {
        return settings.command;
    }

    /** The name used for the logger and threads. */
    public String name() {
        return settings.name;
    }

    /** Whether a welcome header is expected. */
    public boolean expectsWelcomeHeader() {
        return settings.welcomeHeader;
    }

    /** Whether a welcome header is recognised when the first line is one ({@link #detectWelcomeHeader()}). */
    public boolean detectsWelcomeHeader() {
        return settings.detectHeader;
    }

    /** Whether the child is started in a session of its own ({@link #newSession(boolean)}). */
    public boolean startsNewSession() {
        return settings.newSession;
    }

    /** The framing used on stdin and stdout. */
    public Framing framing() {
        return settings.framing;
    }

    /**
     * Starts the child; emits the connection once it is ready (after the welcome header when one is expected and
     * meets the requirements). Fails with {@link PipeStartException} when the command cannot start, the child
     * exits first or the header is wrong; cancelling before ready stops the child.
     */
    public Mono<PipeConnection> connect() {
        return connect(connection -> { });
    }

    /** {@link #connect()}, telling {@code onSpawn} about the connection as soon as the child runs (to kill it). */
    Mono<PipeConnection> connect(Consumer<PipeConnection> onSpawn) {
        return Mono.fromCallable(this::spawn)
                .doOnNext(onSpawn)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(connection -> connection.ready()
                        .map(header -> {
                            header.ifPresent(h -> settings.requirements.check(h, connection.description()));
                            return connection;
                        })
                        .doOnError(e -> connection.dispose())
                        .doOnCancel(connection::dispose));
    }

    private PipeConnection spawn() {
        Settings c = settings;
        String display = c.display;
        String name = c.name;
        Path directory = c.directory;
        ProcessBuilder pb = new ProcessBuilder(argv());
        pb.environment().putAll(c.environment);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new PipeStartException("cannot start [" + display + "]: " + e.getMessage(), e);
        }
        int seq = SEQUENCE.incrementAndGet();
        String description = "pipe[" + display + "]#" + process.pid();
        Logger log = LoggerFactory.getLogger("dev.plumb.rpc.pipe." + name);
        PipeConnection connection = new PipeConnection(process, description, log, c.framing, c.welcomeHeader,
                c.detectHeader, c.inboundFilter, "plumb-pipe-" + name + "-" + seq);
        connection.start();
        log.debug("started {}", description);
        return connection;
    }

    private List<String> argv() {
        List<String> command = settings.command;
        if (!settings.newSession) {
            return command;
        }
        String setsid = SetsidHolder.PATH;
        if (setsid == null) {
            LoggerFactory.getLogger("dev.plumb.rpc.pipe." + settings.name)
                    .warn("setsid not found: [{}] stays in this process's session", settings.display);
            return command;
        }
        List<String> argv = new ArrayList<>(command.size() + 2);
        argv.add(setsid);
        argv.add("-w"); // if setsid has to fork, it waits and passes the exit code on
        argv.addAll(command);
        return argv;
    }

    /** Where {@code setsid} is, looked up once. */
    private static final class SetsidHolder {
        static final @Nullable String PATH = find();

        private static @Nullable String find() {
            for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
                Path candidate = Path.of(dir, "setsid");
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
            return null;
        }
    }

    private static String display(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String arg : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(arg.length() > 60 ? arg.substring(0, 20) + "…" + arg.substring(arg.length() - 20) : arg);
        }
        return sb.toString();
    }

    private static String defaultName(String word) {
        String base = word;
        int slash = base.lastIndexOf('/');
        if (slash >= 0) {
            base = base.substring(slash + 1);
        }
        String clean = base.replaceAll("[^A-Za-z0-9_-]", "_");
        return clean.isEmpty() ? "pipe" : clean;
    }

    @Override
    public String toString() {
        return "PipeTransport[" + settings.display + "]";
    }

    private PipeTransport with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new PipeTransport(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        final List<String> command;
        final String display;
        String name;
        Map<String, String> environment = Map.of();
        @Nullable Path directory;
        Framing framing = Framing.newlineDelimited();
        boolean welcomeHeader;
        boolean detectHeader;
        boolean newSession;
        PipeRequirements requirements = PipeRequirements.none();
        @Nullable Predicate<byte[]> inboundFilter;

        Settings(List<String> command, String display, String name) {
            this.command = command;
            this.display = display;
            this.name = name;
        }

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
