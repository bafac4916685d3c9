package dev.plumb.coworker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One option of {@code coworker run}: its name (config files, {@code -d}), environment variable, default, parser,
 * help text and the flags that set it. The constants below are the only place an option is written: the settings
 * ({@link CoworkerSettings#get}), the loader ({@link SettingsLoader}), {@code --show-config}, {@code run --help} and
 * the option tables of README.md and docs/coworker.md (checked by a test) all come from {@link #all()}.
 *
 * @param <T> the parsed value's type
 */
public final class CoworkerOption<T> {

    private static final List<CoworkerOption<?>> ALL = new ArrayList<>();

    /** Shell command of the pipe; null for none. */
    public static final CoworkerOption<String> PIPE = text("pipe", "COWORKER_PIPE_COMMAND", "--pipe CMD",
            "shell command of the pipe, run with `sh -c`: `cv pipe`, "
                    + "`drush ev \"civicrm_initialize(); Civi::pipe();\"`, `ssh host cv pipe`");

    /** JSON-RPC over HTTP endpoint; null for none. */
    public static final CoworkerOption<String> WEB = new CoworkerOption<>("web", "COWORKER_WEB", "--web URL", "",
            null, "JSON-RPC over HTTP endpoint, e.g. `https://example.org/civicrm/queue?token=XXX`",
            CoworkerOption::textOrNull, v -> v == null ? null : v.replaceAll("token=[^&]*", "token=***"));

    /** Bearer token for {@link #WEB}; null for none. */
    public static final CoworkerOption<String> WEB_TOKEN = new CoworkerOption<>("webToken", "COWORKER_WEB_TOKEN",
            null, "", null, "bearer token sent as `Authorization: Bearer …` (instead of `?token=` in the URL)",
            CoworkerOption::textOrNull, v -> v == null ? null : "***");

    /**
     * {@code pipe}, {@code web} or {@code pipe,web} as given; null when not given (then {@link CoworkerSettings#channel()}
     * chooses).
     */
    public static final CoworkerOption<String> CHANNEL = new CoworkerOption<>("channel", "COWORKER_CHANNEL",
            "--channel", "", "`pipe`, or `web` when only `--web` is given",
            "`pipe`; `web` (everything over HTTP); `pipe,web` (hybrid: poll and claim over the pipe, run batches over HTTP)",
            text -> {
                String s = textOrNull(text);
                if (s == null) {
                    return null;
                }
                s = s.replace(" ", "").toLowerCase(Locale.ROOT);
                if (!s.equals("pipe") && !s.equals("web") && !s.equals("pipe,web")) {
                    throw new IllegalArgumentException("must be pipe, web or pipe,web");
                }
                return s;
            }, Function.identity());

    /** Worker slots: batches (and pool pipes) at once. */
    public static final CoworkerOption<Integer> WORKER_COUNT = positive("workerCount", "COWORKER_COUNT", "2",
            "worker slots: batches (and pool pipes) at once");

    /** Requests a pool pipe serves before it retires. */
    public static final CoworkerOption<Integer> WORKER_REQUESTS = positive("workerRequests", "COWORKER_REQUESTS", "10",
            "requests a pool pipe serves before it retires (the `login` counts)");

    /** Age after which a pool pipe takes no new work. */
    public static final CoworkerOption<Duration> WORKER_DURATION = seconds("workerDuration", "COWORKER_DURATION",
            "600", "age in seconds after which a pool pipe takes no new work");

    /** Idle time after which a pool pipe is stopped. */
    public static final CoworkerOption<Duration> WORKER_TIMEOUT = seconds("workerTimeout", "COWORKER_TIMEOUT", "60",
            "idle seconds after which a pool pipe is stopped");

    /** How many idle pipes are stopped to make room; only 1, what rpc-pipe's {@code PipePool} does, is accepted. */
    public static final CoworkerOption<Integer> WORKER_CLEANUP_COUNT = new CoworkerOption<>("workerCleanupCount",
            "COWORKER_CLEANUP_COUNT", null, "1", null,
            "idle pipes stopped to make room when the pool is full; only 1 is accepted: rpc-pipe's `PipePool` stops "
                    + "one idle pipe of another context for each batch that needs room (any other value is refused)",
            text -> {
                int n = positiveInt(text);
                if (n != 1) {
                    throw new IllegalArgumentException("is not supported: only 1 is accepted (rpc-pipe's PipePool "
                            + "stops one idle pipe of another context for each batch that needs room)");
                }
                return n;
            }, Function.identity());

    /** Target period of {@code Queue.get}. */
    public static final CoworkerOption<Duration> POLL_INTERVAL = seconds("pollInterval", "COWORKER_POLL_INTERVAL",
            "0.66", "target period of `Queue.get`");

    /** {@code auto}, {@code agent}, {@code runner} or a JSON APIv4 where clause. */
    public static final CoworkerOption<String> POLL_QUERY = new CoworkerOption<>("pollQuery", "COWORKER_POLL_QUERY",
            null, "auto", null,
            "`auto` (by `Queue.getFields`: `agent CONTAINS server` when the site has `agent`, else "
                    + "`runner IS NOT EMPTY`; both with `status = active`), `agent`, `runner`, or a JSON APIv4 "
                    + "`where` clause",
            CoworkerOption::textOrNull, Function.identity());

    /** How long coworker runs before stopping by itself; null for unlimited (a negative value). */
    public static final CoworkerOption<Duration> AGENT_DURATION = new CoworkerOption<>("agentDuration",
            "COWORKER_AGENT_DURATION", null, "-1", "-1 (unlimited)",
            "seconds after which coworker stops by itself (gracefully)",
            text -> {
                double s = number(text);
                return s < 0 ? null : duration(text);
            }, v -> v == null ? -1 : seconds(v));

    /** Minimum CiviCRM version in the pipe's welcome header. */
    public static final CoworkerOption<String> CIVICRM_VERSION = new CoworkerOption<>("civicrmVersion",
            "COWORKER_CIVICRM_VERSION", null, "5.51", "5.51",
            "minimum CiviCRM version in the pipe's welcome header", CoworkerOption::textOrNull, Function.identity());

    /** Timeout of every control request, pipe start and login. */
    public static final CoworkerOption<Duration> REQUEST_TIMEOUT = seconds("requestTimeout",
            "COWORKER_REQUEST_TIMEOUT", "60",
            "timeout of every control request (`Queue.get`, `claimItems`, `options`, `getFields`), pipe start and "
                    + "`login`; `runItems` uses the queue's `lease_time`");

    /** How long a stop waits for in-flight batches. */
    public static final CoworkerOption<Duration> GRACE_PERIOD = seconds("gracePeriod", "COWORKER_GRACE_PERIOD", "30",
            "how long a stop waits for in-flight batches");

    /** {@code text} or {@code json}. */
    public static final CoworkerOption<String> LOG_FORMAT = choice("logFormat", "COWORKER_LOG_FORMAT", null, "text",
            "`text` or `json` (one JSON object per log line, and a JSON summary)", "text", "json");

    /** {@code error}, {@code warn}, {@code info}, {@code debug} or {@code trace}. */
    public static final CoworkerOption<String> LOG_LEVEL = choice("logLevel", "COWORKER_LOG_LEVEL", "-v -q", "info",
            "`error`, `warn`, `info`, `debug`, `trace` (`-v` debug, `-vv` trace, `-q` warn)",
            "error", "warn", "info", "debug", "trace");

    /** Log file; null for stderr. */
    public static final CoworkerOption<String> LOG_FILE = new CoworkerOption<>("logFile", "COWORKER_LOG_FILE",
            "--log FILE", "", "stderr", "append the log to a file", CoworkerOption::textOrNull, Function.identity());

    /** Stop once no queue has claimable items and nothing is in flight. */
    public static final CoworkerOption<Boolean> UNTIL_EMPTY = new CoworkerOption<>("untilEmpty",
            "COWORKER_UNTIL_EMPTY", "--until-empty", "false", null,
            "stop once no queue has claimable items, nothing is in flight and no failed batch's lease is still pending",
            CoworkerOption::bool, Function.identity());

    private final String name;
    private final String environment;
    private final String flags;
    private final String defaultText;
    private final String shownDefault;
    private final String help;
    private final Function<String, T> parser;
    private final Function<? super T, ?> shown;

    private CoworkerOption(String name, String environment, String flags, String defaultText, String shownDefault,
                           String help, Function<String, T> parser, Function<? super T, ?> shown) {
        this.name = name;
        this.environment = environment;
        this.flags = flags;
        this.defaultText = defaultText;
        this.shownDefault = shownDefault;
        this.help = help;
        this.parser = parser;
        this.shown = shown;
        ALL.add(this);
    }

    /** Every option, in the order of the tables. */
    public static List<CoworkerOption<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The option called {@code name}, or null. */
    public static CoworkerOption<?> named(String name) {
        for (CoworkerOption<?> o : ALL) {
            if (o.name.equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The name used in config files and with {@code -d}. */
    public String name() {
        return name;
    }

    /** The environment variable that sets it. */
    public String environment() {
        return environment;
    }

    /** The flags of {@code run} that set it, separated by spaces, each optionally followed by its label; or null. */
    public String flags() {
        return flags;
    }

    /** The default, as text (the form every source uses); empty for none. */
    public String defaultText() {
        return defaultText;
    }

    /** The help text (Markdown: code in backticks). */
    public String help() {
        return help;
    }

    /** Parses a text value; fails with {@link IllegalArgumentException} saying why (without the option's name). */
    public T parse(String text) {
        return parser.apply(text == null ? "" : text);
    }

    /** The value as {@code --show-config} prints it (durations in seconds, secrets masked). */
    @SuppressWarnings("unchecked")
    public Object shown(Object value) {
        return shown.apply((T) value);
    }

    /** The default as the tables show it. */
    public String shownDefault() {
        if (shownDefault != null) {
            return shownDefault;
        }
        if (defaultText.isEmpty()) {
            return "none";
        }
        return defaultText.matches("-?[0-9.]+|true|false") ? defaultText : "`" + defaultText + "`";
    }

    /** The options table of README.md and docs/coworker.md, in Markdown. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| option | default | environment | meaning |\n|---|---|---|---|\n");
        for (CoworkerOption<?> o : ALL) {
            b.append("| `").append(o.name).append('`');
            if (o.flags != null) {
                List<String> shownFlags = new ArrayList<>();
                for (String f : o.flagList()) {
                    shownFlags.add("`" + f + "`");
                }
                b.append(" (").append(String.join(", ", shownFlags)).append(')');
            }
            b.append(" | ").append(o.shownDefault()).append(" | `").append(o.environment).append("` | ")
                    .append(o.help).append(" |\n");
        }
        return b.toString();
    }

    /** The options as {@code run --help} lists them (plain text). */
    public static String helpText() {
        StringBuilder b = new StringBuilder("Options (set in a config file, by environment or with -d NAME=VALUE; "
                + "durations in seconds):%n");
        for (CoworkerOption<?> o : ALL) {
            b.append(String.format("  %-19s %s, default %s.%n", o.name, o.environment, plain(o.shownDefault())))
                    .append(String.format("      %s%n", plain(o.help).replace("%", "%%")));
        }
        return b.toString();
    }

    /** The flags with their labels, e.g. {@code --pipe CMD}; {@code -v} and {@code -q} for the log level. */
    List<String> flagList() {
        if (flags == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String word : flags.split(" ")) {
            if (word.startsWith("-")) {
                out.add(word);
            } else {
                out.set(out.size() - 1, out.get(out.size() - 1) + " " + word);
            }
        }
        return out;
    }

    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    private static CoworkerOption<String> text(String name, String env, String flags, String help) {
        return new CoworkerOption<>(name, env, flags, "", null, help, CoworkerOption::textOrNull, Function.identity());
    }

    private static CoworkerOption<Integer> positive(String name, String env, String defaultText, String help) {
        return new CoworkerOption<>(name, env, null, defaultText, null, help, CoworkerOption::positiveInt,
                Function.identity());
    }

    private static CoworkerOption<Duration> seconds(String name, String env, String defaultText, String help) {
        return new CoworkerOption<>(name, env, null, defaultText, null, help, CoworkerOption::duration,
                CoworkerOption::seconds);
    }

    private static CoworkerOption<String> choice(String name, String env, String flags, String defaultText,
                                                 String help, String... values) {
        List<String> allowed = List.of(values);
        String list = String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
        return new CoworkerOption<>(name, env, flags, defaultText, null, help, text -> {
            String s = text.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException("must be " + list);
            }
            return s;
        }, Function.identity());
    }

    private static String textOrNull(String s) {
        return s.isBlank() ? null : s.trim();
    }

    private static int positiveInt(String text) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
        if (n < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return n;
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number of seconds");
        }
    }

    private static Duration duration(String text) {
        double s = number(text);
        if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("must be a number of seconds, not negative");
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static boolean bool(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("1") || s.equals("yes")) {
            return true;
        }
        if (s.equals("false") || s.equals("0") || s.equals("no") || s.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    @Override
    public String toString() {
        return name;
    }
}
