package dev.plumb.coworker.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What to put in a fresh demo queue: how many tasks, which mix, over how many queues and run_as contacts.
 *
 * @param tasks     number of tasks
 * @param mix       {@code mixed} (noop, sleep 20 ms, cpu, fail_once, always_fail), {@code noop} or {@code sleep}
 * @param sleepMillis duration of each sleep task
 * @param queues    number of queues ({@code demo-1} …)
 * @param contacts  number of run_as contacts (101, 102, …), in runs of {@link #RUN_LENGTH} items per queue; a
 *                  mixed seed also has runs without run_as
 * @param batchLimit the queues' batch_limit
 * @param leaseTime the queues' lease_time in seconds
 * @param retryLimit the queues' retry_limit
 */
public record DemoSeed(long tasks, String mix, int sleepMillis, int queues, int contacts, int batchLimit,
                       int leaseTime, int retryLimit) {

    /** How many consecutive items of one queue share a run_as context. */
    public static final int RUN_LENGTH = 17;

    /** The default seed: 200 mixed tasks over 3 queues and 3 contacts, batch_limit 4, lease 60 s, retry 1. */
    public static DemoSeed defaults() {
        return new DemoSeed(200, "mixed", 20, 3, 3, 4, 60, 1);
    }

    /** This seed with another task count. */
    public DemoSeed withTasks(long n) {
        return new DemoSeed(n, mix, sleepMillis, queues, contacts, batchLimit, leaseTime, retryLimit);
    }

    /** This seed with another mix ({@code mixed}, {@code noop}, {@code sleep}). */
    public DemoSeed withMix(String m) {
        return new DemoSeed(tasks, m, sleepMillis, queues, contacts, batchLimit, leaseTime, retryLimit);
    }

    /** This seed with another sleep duration. */
    public DemoSeed withSleepMillis(int ms) {
        return new DemoSeed(tasks, mix, ms, queues, contacts, batchLimit, leaseTime, retryLimit);
    }

    /** This seed with another queue and contact count. */
    public DemoSeed withSpread(int q, int c) {
        return new DemoSeed(tasks, mix, sleepMillis, q, c, batchLimit, leaseTime, retryLimit);
    }

    /** This seed with other queue settings. */
    public DemoSeed withQueueSettings(int batch, int lease, int retry) {
        return new DemoSeed(tasks, mix, sleepMillis, queues, contacts, batch, lease, retry);
    }

    /** Writes the queues and tasks into {@code store}. */
    public void applyTo(DemoQueueStore store) {
        for (int q = 1; q <= queues; q++) {
            store.putQueue(new DemoQueueStore.QueueRow("demo-" + q, batchLimit, leaseTime, retryLimit, "delete",
                    "active", "task", "server"));
        }
        List<DemoQueueStore.NewItem> chunk = new ArrayList<>();
        for (long i = 0; i < tasks; i++) {
            String queue = "demo-" + (1 + i % queues);
            // runs of RUN_LENGTH consecutive items of a queue share a run_as context, as real queues do; in a mixed
            // seed every (contacts+1)-th run has no run_as
            long run = (i / queues) / RUN_LENGTH;
            int groups = "mixed".equals(mix) ? contacts + 1 : contacts;
            Long contact = contacts == 0 || run % groups == contacts ? null : 101 + run % groups;
            chunk.add(task(i, queue, contact));
            if (chunk.size() == 50_000) {
                store.addItems(chunk);
                chunk.clear();
            }
        }
        store.addItems(chunk);
    }

    private DemoQueueStore.NewItem task(long i, String queue, Long contact) {
        switch (mix) {
            case "noop":
                return new DemoQueueStore.NewItem(queue, contact, "noop", null);
            case "sleep":
                return new DemoQueueStore.NewItem(queue, contact, "sleep", Integer.toString(sleepMillis));
            default:
                int k = (int) (i % 10);
                if (k < 4) {
                    return new DemoQueueStore.NewItem(queue, contact, "noop", null);
                } else if (k < 6) {
                    return new DemoQueueStore.NewItem(queue, contact, "sleep", Integer.toString(sleepMillis));
                } else if (k < 8) {
                    return new DemoQueueStore.NewItem(queue, contact, "cpu", "200000");
                } else if (k == 8) {
                    return new DemoQueueStore.NewItem(queue, contact, "fail_once", null);
                } else {
                    return new DemoQueueStore.NewItem(queue, contact, "always_fail", null);
                }
        }
    }
}
