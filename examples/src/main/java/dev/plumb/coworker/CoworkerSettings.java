package dev.plumb.coworker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every option of {@code coworker run}, with coworker's names and defaults. Built by {@link SettingsLoader} from,
 * in rising precedence: defaults, config files ({@code -c}), environment ({@code COWORKER_*}), {@code -d KEY=VALUE},
 * explicit flags ({@code --pipe}, {@code --web}, {@code --channel}, {@code --log}, {@code -v}, {@code --until-empty}).
 *
 * @param pipe               shell command of the pipe ({@code cv pipe}); null for none
 * @param web                JSON-RPC URL ({@code https://…/rpc?token=…}); null for none
 * @param webToken           bearer token for {@code web}, when not in the URL; null for none
 * @param channel            {@code pipe}, {@code web} or {@code pipe,web} (hybrid: poll and claim over the pipe,
 *                           run over HTTP)
 * @param workerCount        pipes (batches) at once; default 2
 * @param workerRequests     requests per pool pipe before it retires, the login included; default 10
 * @param workerDuration     age after which a pool pipe takes no new work; default 600 s
 * @param workerTimeout      idle time after which a pool pipe is stopped; default 60 s
 * @param workerCleanupCount idle pipes stopped per poll; default 1
 * @param pollInterval       target period of {@code Queue.get}; default 0.66 s
 * @param pollQuery          {@code auto} (choose by {@code Queue.getFields}), {@code runner}, {@code agent}, or a
 *                           JSON APIv4 where clause
 * @param agentDuration      how long coworker runs before stopping by itself; null for unlimited
 * @param civicrmVersion     minimum version in the pipe's welcome header; default 5.51
 * @param requestTimeout     timeout of every control request and login; default 60 s ({@code runItems} uses the
 *                           queue's lease_time)
 * @param gracePeriod        how long a stop waits for in-flight batches; default 30 s
 * @param logFormat          {@code text} or {@code json}
 * @param logLevel           {@code error}, {@code warn}, {@code info}, {@code debug}, {@code trace}
 * @param logFile            log file; null for stderr
 * @param untilEmpty         stop once no queue has claimable items and nothing is in flight
 */
public record CoworkerSettings(String pipe, String web, String webToken, String channel, int workerCount,
                               int workerRequests, Duration workerDuration, Duration workerTimeout,
                               int workerCleanupCount, Duration pollInterval, String pollQuery,
                               Duration agentDuration, String civicrmVersion, Duration requestTimeout,
                               Duration gracePeriod, String logFormat, String logLevel, String logFile,
                               boolean untilEmpty) {

    /** Option names with their defaults (as text, the form every source uses). */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("pipe", "");
        d.put("web", "");
        d.put("webToken", "");
        d.put("channel", "");
        d.put("workerCount", "2");
        d.put("workerRequests", "10");
        d.put("workerDuration", "600");
        d.put("workerTimeout", "60");
        d.put("workerCleanupCount", "1");
        d.put("pollInterval", "0.66");
        d.put("pollQuery", "auto");
        d.put("agentDuration", "-1");
        d.put("civicrmVersion", "5.51");
        d.put("requestTimeout", "60");
        d.put("gracePeriod", "30");
        d.put("logFormat", "text");
        d.put("logLevel", "info");
        d.put("logFile", "");
        d.put("untilEmpty", "false");
        return d;
    }

    /** The environment variable of each option. */
    public static Map<String, String> environmentNames() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("pipe", "COWORKER_PIPE_COMMAND");
        e.put("web", "COWORKER_WEB");
        e.put("webToken", "COWORKER_WEB_TOKEN");
        e.put("channel", "COWORKER_CHANNEL");
        e.put("workerCount", "COWORKER_COUNT");
        e.put("workerRequests", "COWORKER_REQUESTS");
        e.put("workerDuration", "COWORKER_DURATION");
        e.put("workerTimeout", "COWORKER_TIMEOUT");
        e.put("workerCleanupCount", "COWORKER_CLEANUP_COUNT");
        e.put("pollInterval", "COWORKER_POLL_INTERVAL");
        e.put("pollQuery", "COWORKER_POLL_QUERY");
        e.put("agentDuration", "COWORKER_AGENT_DURATION");
        e.put("civicrmVersion", "COWORKER_CIVICRM_VERSION");
        e.put("requestTimeout", "COWORKER_REQUEST_TIMEOUT");
        e.put("gracePeriod", "COWORKER_GRACE_PERIOD");
        e.put("logFormat", "COWORKER_LOG_FORMAT");
        e.put("logLevel", "COWORKER_LOG_LEVEL");
        e.put("logFile", "COWORKER_LOG_FILE");
        e.put("untilEmpty", "COWORKER_UNTIL_EMPTY");
        return e;
    }

    /** Parses the merged text values; a bad value fails with a message naming the option and its source. */
    public static CoworkerSettings parse(Map<String, String> v, Map<String, String> sources) {
        Parser p = new Parser(v, sources);
        String pipe = p.text("pipe");
        String web = p.text("web");
        String channel = p.text("channel");
        if (channel == null) {
            channel = web != null && pipe == null ? "web" : "pipe";
        }
        channel = channel.replace(" ", "").toLowerCase(Locale.ROOT);
        if (!channel.equals("pipe") && !channel.equals("web") && !channel.equals("pipe,web")) {
            throw p.bad("channel", "must be pipe, web or pipe,web");
        }
        if (channel.contains("web") && web == null) {
            throw p.bad("channel", "needs --web URL");
        }
        if (channel.equals("pipe,web") && pipe == null) {
            throw p.bad("channel", "pipe,web needs --pipe CMD as well");
        }
        String logFormat = p.text("logFormat").toLowerCase(Locale.ROOT);
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw p.bad("logFormat", "must be text or json");
        }
        String logLevel = p.text("logLevel").toLowerCase(Locale.ROOT);
        if (!java.util.List.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
            throw p.bad("logLevel", "must be error, warn, info, debug or trace");
        }
        Duration agent = p.seconds("agentDuration", true);
        return new CoworkerSettings(pipe, web, p.text("webToken"), channel, p.positive("workerCount"),
                p.positive("workerRequests"), p.seconds("workerDuration", false), p.seconds("workerTimeout", false),
                p.positive("workerCleanupCount"), p.seconds("pollInterval", false), p.text("pollQuery"),
                agent, p.text("civicrmVersion"), p.seconds("requestTimeout", false),
                p.seconds("gracePeriod", false), logFormat, logLevel, p.text("logFile"), p.bool("untilEmpty"));
    }

    /** The settings as option → value, for {@code --show-config} and the summary. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipe", pipe);
        m.put("web", web == null ? null : web.replaceAll("token=[^&]*", "token=***"));
        m.put("webToken", webToken == null ? null : "***");
        m.put("channel", channel);
        m.put("workerCount", workerCount);
        m.put("workerRequests", workerRequests);
        m.put("workerDuration", seconds(workerDuration));
        m.put("workerTimeout", seconds(workerTimeout));
        m.put("workerCleanupCount", workerCleanupCount);
        m.put("pollInterval", seconds(pollInterval));
        m.put("pollQuery", pollQuery);
        m.put("agentDuration", agentDuration == null ? -1 : seconds(agentDuration));
        m.put("civicrmVersion", civicrmVersion);
        m.put("requestTimeout", seconds(requestTimeout));
        m.put("gracePeriod", seconds(gracePeriod));
        m.put("logFormat", logFormat);
        m.put("logLevel", logLevel);
        m.put("logFile", logFile);
        m.put("untilEmpty", untilEmpty);
        return m;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static final class Parser {
        private final Map<String, String> v;
        private final Map<String, String> sources;

        Parser(Map<String, String> v, Map<String, String> sources) {
            this.v = v;
            this.sources = sources;
        }

        IllegalArgumentException bad(String key, String why) {
            return new IllegalArgumentException("option " + key + "=" + v.get(key) + " (from "
                    + sources.getOrDefault(key, "defaults") + ") " + why);
        }

        String text(String key) {
            String s = v.get(key);
            return s == null || s.isBlank() ? null : s.trim();
        }

        int positive(String key) {
            try {
                int n = Integer.parseInt(v.get(key).trim());
                if (n < 1) {
                    throw bad(key, "must be at least 1");
                }
                return n;
            } catch (NumberFormatException e) {
                throw bad(key, "must be a whole number");
            }
        }

        Duration seconds(String key, boolean negativeIsNone) {
            try {
                double s = Double.parseDouble(v.get(key).trim());
                if (s < 0 && negativeIsNone) {
                    return null;
                }
                if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
                    throw bad(key, "must be a number of seconds, not negative");
                }
                return Duration.ofMillis(Math.round(s * 1000));
            } catch (NumberFormatException e) {
                throw bad(key, "must be a number of seconds");
            }
        }

        boolean bool(String key) {
            String s = v.get(key).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("1") || s.equals("yes")) {
                return true;
            }
            if (s.equals("false") || s.equals("0") || s.equals("no") || s.isEmpty()) {
                return false;
            }
            throw bad(key, "must be true or false");
        }
    }
}
