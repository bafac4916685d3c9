package dev.plumb.coworker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DemoQueueStoreTest {

    @TempDir
    Path dir;

    @Test
    void aClaimLeasesAtMostBatchLimitItemsAndAnExpiredLeaseMakesThemClaimableAgain() {
        try (DemoQueueStore store = DemoQueueStore.open(dir.resolve("q.db"))) {
            new DemoSeed(10, "noop", 0, 1, 0, 4, 5, 0).applyTo(store);
            long now = 1_000_000;
            List<DemoQueueStore.ClaimedItem> first = store.claim("demo-1", now);
            List<DemoQueueStore.ClaimedItem> second = store.claim("demo-1", now);
            assertThat(first).hasSize(4);
            assertThat(second).hasSize(4).extracting(DemoQueueStore.ClaimedItem::id)
                    .doesNotContainAnyElementsOf(first.stream().map(DemoQueueStore.ClaimedItem::id).toList());
            assertThat(store.claim("demo-1", now)).hasSize(2);
            assertThat(store.claim("demo-1", now)).isEmpty();
            // lease_time is 5 s: after it every item is claimable again
            assertThat(store.claim("demo-1", now + 5_000)).extracting(DemoQueueStore.ClaimedItem::id)
                    .containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void outcomesMoveItemsOnAndEveryRunIsRecorded() {
        try (DemoQueueStore store = DemoQueueStore.open(dir.resolve("q.db"))) {
            new DemoSeed(3, "noop", 0, 1, 0, 3, 60, 1).applyTo(store);
            long now = System.currentTimeMillis();
            store.claim("demo-1", now);
            store.recordRuns(List.of(new DemoQueueStore.RunRecord(1, "ok", "w", now, now),
                    new DemoQueueStore.RunRecord(2, "retry", "w", now, now),
                    new DemoQueueStore.RunRecord(3, "fail", "w", now, now)));
            assertThat(store.itemCounts(now)).containsEntry("ok", 1L).containsEntry("failed", 1L)
                    .containsEntry("ready", 1L).doesNotContainKey("leased");
            assertThat(store.runCounts()).containsEntry("ok", 1L).containsEntry("retry", 1L).containsEntry("fail", 1L);
            assertThat(store.claim("demo-1", now)).extracting(DemoQueueStore.ClaimedItem::id).containsExactly(2L);
            assertThat(store.claimLog()).hasSize(2).allSatisfy(r -> assertThat(r.outstanding()).isLessThanOrEqualTo(3));
        }
    }

    @Test
    void twoProcessesWorthOfConnectionsNeverClaimTheSameItem() throws Exception {
        Path db = dir.resolve("q.db");
        try (DemoQueueStore seed = DemoQueueStore.open(db)) {
            new DemoSeed(2_000, "noop", 0, 2, 0, 7, 600, 0).applyTo(seed);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> claims = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String queue = "demo-" + (1 + t % 2);
            claims.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                try (DemoQueueStore store = DemoQueueStore.open(db)) { // one connection per claimer, like processes
                    List<DemoQueueStore.ClaimedItem> got;
                    while (!(got = store.claim(queue, System.currentTimeMillis())).isEmpty()) {
                        got.forEach(i -> ids.add(i.id()));
                    }
                }
                return ids;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : claims) {
            all.addAll(f.get(50, TimeUnit.SECONDS));
        }
        pool.shutdown();
        Set<Long> distinct = new HashSet<>(all);
        assertThat(all).hasSize(2_000);
        assertThat(distinct).hasSize(2_000);
        assertThat(Collections.max(all)).isEqualTo(2_000L);
    }
}
