package dev.plumb.coworker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-of-run summary as text and JSON, from known counters. */
class SummaryTest {

    private static WorkerStats stats() {
        WorkerStats s = new WorkerStats();
        s.claimed("demo-1", 6);
        s.claimed("demo-2", 3);
        for (int i = 0; i < 4; i++) {
            s.outcome("demo-1", "ok", 10_000_000); // 10 ms
        }
        s.outcome("demo-1", "retry", 100_000_000); // 100 ms
        s.outcome("demo-1", "fail", 100_000_000);
        s.outcome("demo-2", "ok", 2_000_000);
        s.outcome("demo-2", "ok", 2_000_000);
        s.outcome("demo-2", "ok", 2_000_000);
        s.batches.set(3);
        return s;
    }

    @Test
    void theTextIsAHeadlineATableWithARowPerQueueAndATotalAndTheProcessNumbers() {
        String text = new Summary(Coworker.StopReason.QUEUES_EMPTY, stats(),
                Map.of("controlPipeStarts", 1, "workerPipesStarted", 2, "peakHeapMb", 20, "peakRssMb", 99)).toText();
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).matches("coworker summary: queues empty after [0-9.]+ s: 9 runs in 3 batches, "
                + "[0-9.]+ runs/s");
        assertThat(lines.get(1)).isEqualTo("  queue   claimed  ok  retry  failed  task p50  task p95");
        assertThat(lines.get(2)).matches("  demo-1        6   4      1       1 +(9\\.\\d|1\\d) ms +(9\\d|1\\d\\d) ms");
        assertThat(lines.get(3)).matches("  demo-2        3   3      0       0 +[12]\\.\\d ms +[12]\\.\\d ms");
        assertThat(lines.get(4)).startsWith("  all           9   7      1       1 ");
        assertThat(lines.get(5)).isEqualTo("  control pipe starts 1, worker pipes started 2, peak heap 20 MB, peak RSS 99 MB");
        assertThat(text).isEqualTo(text.replaceAll("[^\\x00-\\x7f]", "")); // plain ASCII, whatever the locale
    }

    @Test
    void theJsonHasTheTotalsAndOneEntryPerQueueWithItsTaskPercentiles() {
        Map<String, Object> m = new Summary(Coworker.StopReason.REQUESTED, stats(), Map.of("peakHeapMb", 20)).toMap();
        assertThat(m).containsEntry("stopped", "requested").containsEntry("ok", 7L).containsEntry("retry", 1L)
                .containsEntry("failed", 1L).containsEntry("peakHeapMb", 20);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> queues = (List<Map<String, Object>>) m.get("queues");
        assertThat(queues).extracting(q -> q.get("queue")).containsExactly("demo-1", "demo-2");
        assertThat(queues.get(1)).containsEntry("ok", 3L).containsEntry("failed", 0L);
        assertThat((Double) queues.get(1).get("taskP50Ms")).isBetween(1.9, 2.1);
        assertThat((Double) queues.get(0).get("taskP95Ms")).isBetween(95.0, 105.0);
    }
}
