package dev.plumb.coworker.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-run summary: why the run stopped, a small table per queue (claimed, ok, retry, failed, p50 and p95
 * task time) and the process's own numbers (pipes started, peak memory). As text for people and as one JSON object
 * ({@code {"summary":{…}}}, see {@link #toMap()}) with {@code logFormat=json}.
 */
public final class Summary {

    private final Coworker.StopReason reason;
    private final Map<String, Object> stats;
    private final WorkerStats live;
    private final Map<String, Object> process;

    /**
     * A summary of a run that stopped for {@code reason} with {@code stats}, and the process's own numbers
     * ({@code controlPipeStarts}, {@code workerPipesStarted}, {@code peakHeapMb}, {@code peakRssMb}, …).
     */
    public Summary(Coworker.StopReason reason, WorkerStats stats, Map<String, Object> process) {
        this.reason = reason;
        this.live = stats;
        this.stats = stats.toMap();
        this.process = new LinkedHashMap<>(process);
    }

    /** The reason as the JSON summary names it: {@code queues_empty}, {@code agent_duration}, … */
    public String reasonKey() {
        return reason == null ? "unknown" : reason.name().toLowerCase(Locale.ROOT);
    }

    private String reasonText() {
        if (reason == null) {
            return "stopped";
        }
        return switch (reason) {
            case QUEUES_EMPTY -> "queues empty";
            case AGENT_DURATION -> "agentDuration reached";
            case REQUESTED -> "stopped by signal";
            case KILLED -> "killed (second signal)";
        };
    }

    /** Everything, for {@code {"summary": …}}: {@code stopped}, the totals, {@code queues} and process numbers. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stopped", reasonKey());
        m.putAll(stats);
        m.putAll(process);
        return m;
    }

    /** The summary for a person: a headline, a table with a row per queue and a total, and one line of numbers. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "coworker summary: %s after %.1f s: %d runs in %d batches, %.1f runs/s%n",
                reasonText(), (Double) stats.get("seconds"), live.done(), live.batches(),
                (Double) stats.get("perSecond")));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"queue", "claimed", "ok", "retry", "failed", "task p50", "task p95"});
        for (WorkerStats.QueueStats q : live.queues()) {
            rows.add(new String[] {q.name(), Long.toString(q.claimed()), Long.toString(q.ok()),
                    Long.toString(q.retry()), Long.toString(q.failed()), millis(q.taskMillis(50)),
                    millis(q.taskMillis(95))});
        }
        if (live.queues().size() != 1) {
            rows.add(new String[] {"all", Long.toString(live.claimed()), Long.toString(live.ok()),
                    Long.toString(live.retry()), Long.toString(live.failed()), millis(live.taskMillis(50)),
                    millis(live.taskMillis(95))});
        }
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append("  ");
                sb.append(i == 0 ? String.format("%-" + w[i] + "s", r[i]) : String.format("%" + w[i] + "s", r[i]));
            }
            sb.append(System.lineSeparator());
        }
        if (live.batchErrors() > 0 || live.other() > 0 || live.running() > 0) {
            sb.append(String.format(Locale.ROOT, "  items in failed batches %d (claimed again when their lease "
                    + "expires), other outcomes %d, still running %d%n", live.batchErrors(), live.other(),
                    live.running()));
        }
        sb.append(" ");
        if (process.containsKey("controlPipeStarts")) {
            sb.append(" control pipe starts ").append(process.get("controlPipeStarts")).append(',');
        }
        if (process.containsKey("workerPipesStarted")) {
            sb.append(" worker pipes started ").append(process.get("workerPipesStarted")).append(',');
        }
        sb.append(" peak heap ").append(process.get("peakHeapMb")).append(" MB, peak RSS ")
                .append(process.get("peakRssMb")).append(" MB").append(System.lineSeparator());
        return sb.toString();
    }

    private static String millis(double ms) {
        if (ms < 0) {
            return "-";
        }
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
