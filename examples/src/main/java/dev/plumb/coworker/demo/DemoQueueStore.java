package dev.plumb.coworker.demo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo queue's state: an SQLite file shared by several processes (the control pipe, the pool pipes, other
 * coworkers), as CiviCRM's PHP processes share MySQL.
 *
 * <p>WAL mode and a busy timeout let readers and one writer work at once; claims and results are written in
 * {@code BEGIN IMMEDIATE} transactions so two claimers never lease the same item. One store is one JDBC
 * connection and is used by one thread at a time (methods are synchronized).
 */
public final class DemoQueueStore implements AutoCloseable {

    /** One queue row, as {@code Queue.get} shows it. */
    public record QueueRow(String name, int batchLimit, int leaseTime, int retryLimit, String error, String status,
                           String runner, String agent) {
        /** The row as an APIv4 result map. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("batch_limit", batchLimit);
            m.put("lease_time", leaseTime);
            m.put("retry_limit", retryLimit);
            m.put("error", error);
            m.put("status", status);
            m.put("runner", runner);
            m.put("agent", agent);
            return m;
        }
    }

    /** One claimed item: its id, queue and run_as identity (null contact means "no run_as"). */
    public record ClaimedItem(long id, String queue, Long runAsContact, Long runAsDomain) {
    }

    /** One leased item with its task, as {@code runItems} needs it. */
    public record TaskItem(long id, String queue, Long runAsContact, String task, String args, int attempts,
                           long leaseUntil, String state) {
    }

    /** One outcome to record for an item run. */
    public record RunRecord(long itemId, String outcome, String worker, long started, long finished) {
    }

    /** One row of the claims log. */
    public record ClaimLogRow(long at, String queue, int claimed, int outstanding) {
    }

    private final Connection db;
    private final Path file;

    private DemoQueueStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating if needed) the store in {@code file}. */
    public static DemoQueueStore open(Path file) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=30000");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
            }
            DemoQueueStore store = new DemoQueueStore(file, c);
            store.createSchema();
            return store;
        } catch (SQLException e) {
            throw new DemoQueueException("cannot open demo queue database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private void createSchema() throws SQLException {
        inImmediate(() -> {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS queues(name TEXT PRIMARY KEY, batch_limit INTEGER NOT NULL,"
                        + " lease_time INTEGER NOT NULL, retry_limit INTEGER NOT NULL, error TEXT NOT NULL,"
                        + " status TEXT NOT NULL, runner TEXT, agent TEXT)");
                s.execute("CREATE TABLE IF NOT EXISTS items(id INTEGER PRIMARY KEY, queue TEXT NOT NULL,"
                        + " run_as_contact INTEGER, run_as_domain INTEGER, task TEXT NOT NULL, args TEXT,"
                        + " lease_until INTEGER, attempts INTEGER NOT NULL DEFAULT 0,"
                        + " state TEXT NOT NULL DEFAULT 'ready')");
                s.execute("CREATE INDEX IF NOT EXISTS items_claim ON items(queue, state, id)");
                s.execute("CREATE INDEX IF NOT EXISTS items_lease ON items(state, lease_until)");
                s.execute("CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, item INTEGER NOT NULL,"
                        + " attempt INTEGER NOT NULL, outcome TEXT NOT NULL, worker TEXT, started INTEGER,"
                        + " finished INTEGER)");
                s.execute("CREATE TABLE IF NOT EXISTS claims(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
                        + " queue TEXT NOT NULL, claimed INTEGER NOT NULL, outstanding INTEGER NOT NULL)");
            }
            return null;
        });
    }

    /** Adds or replaces a queue. */
    public synchronized void putQueue(QueueRow q) {
        inImmediate(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO queues VALUES(?,?,?,?,?,?,?,?)")) {
                ps.setString(1, q.name());
                ps.setInt(2, q.batchLimit());
                ps.setInt(3, q.leaseTime());
                ps.setInt(4, q.retryLimit());
                ps.setString(5, q.error());
                ps.setString(6, q.status());
                ps.setString(7, q.runner());
                ps.setString(8, q.agent());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Appends tasks; each task is {queue, runAsContact (nullable), task kind, args}. */
    public synchronized void addItems(List<NewItem> items) {
        inImmediate(() -> {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO items(queue, run_as_contact, run_as_domain, task, args) VALUES(?,?,?,?,?)")) {
                int n = 0;
                for (NewItem it : items) {
                    ps.setString(1, it.queue());
                    if (it.runAsContact() == null) {
                        ps.setNull(2, java.sql.Types.INTEGER);
                        ps.setNull(3, java.sql.Types.INTEGER);
                    } else {
                        ps.setLong(2, it.runAsContact());
                        ps.setLong(3, 1);
                    }
                    ps.setString(4, it.task());
                    ps.setString(5, it.args());
                    ps.addBatch();
                    if (++n % 10_000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** A task to add: its queue, optional run_as contact, kind and argument. */
    public record NewItem(String queue, Long runAsContact, String task, String args) {
    }

    /** All queues. */
    public synchronized List<QueueRow> queues() {
        return query(() -> {
            List<QueueRow> out = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name, batch_limit, lease_time, retry_limit, error, status,"
                         + " runner, agent FROM queues ORDER BY name")) {
                while (rs.next()) {
                    out.add(new QueueRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        });
    }

    /** One queue by name, or null. */
    public synchronized QueueRow queue(String name) {
        for (QueueRow q : queues()) {
            if (q.name().equals(name)) {
                return q;
            }
        }
        return null;
    }

    /**
     * Leases up to the queue's batch_limit claimable items (never claimed, or with an expired lease) for its
     * lease_time, and logs the claim with the number of items claimed and not yet finished afterwards.
     */
    public synchronized List<ClaimedItem> claim(String queueName, long nowMillis) {
        return inImmediate(() -> {
            QueueRow q = queueNoLock(queueName);
            if (q == null) {
                throw new DemoQueueException("unknown queue: " + queueName);
            }
            List<ClaimedItem> items = new ArrayList<>();
            if (!"active".equals(q.status())) {
                return items;
            }
            try (PreparedStatement ps = db.prepareStatement("SELECT id, run_as_contact, run_as_domain FROM items"
                    + " WHERE queue=? AND state='ready' AND (lease_until IS NULL OR lease_until<=?)"
                    + " ORDER BY id LIMIT ?")) {
                ps.setString(1, queueName);
                ps.setLong(2, nowMillis);
                ps.setInt(3, Math.max(1, q.batchLimit()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long contact = rs.getLong(2);
                        Long c = rs.wasNull() ? null : contact;
                        long domain = rs.getLong(3);
                        Long d = rs.wasNull() ? null : domain;
                        items.add(new ClaimedItem(rs.getLong(1), queueName, c, d));
                    }
                }
            }
            try (PreparedStatement ps = db.prepareStatement("UPDATE items SET lease_until=? WHERE id=?")) {
                for (ClaimedItem it : items) {
                    ps.setLong(1, nowMillis + q.leaseTime() * 1000L);
                    ps.setLong(2, it.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            int outstanding;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT count(*) FROM items WHERE state='ready' AND lease_until>?")) {
                ps.setLong(1, nowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    outstanding = rs.getInt(1);
                }
            }
            if (!items.isEmpty()) {
                try (PreparedStatement ps = db.prepareStatement(
                        "INSERT INTO claims(at, queue, claimed, outstanding) VALUES(?,?,?,?)")) {
                    ps.setLong(1, nowMillis);
                    ps.setString(2, queueName);
                    ps.setInt(3, items.size());
                    ps.setInt(4, outstanding);
                    ps.executeUpdate();
                }
            }
            return items;
        });
    }

    private QueueRow queueNoLock(String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT name, batch_limit, lease_time, retry_limit, error,"
                + " status, runner, agent FROM queues WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new QueueRow(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8));
            }
        }
    }

    /** Loads the items with these ids (missing ids are left out). */
    public synchronized List<TaskItem> items(List<Long> ids) {
        return query(() -> {
            List<TaskItem> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT id, queue, run_as_contact, task, args, attempts,"
                    + " lease_until, state FROM items WHERE id=?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long contact = rs.getLong(3);
                            Long c = rs.wasNull() ? null : contact;
                            out.add(new TaskItem(rs.getLong(1), rs.getString(2), c, rs.getString(4),
                                    rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getString(8)));
                        }
                    }
                }
            }
            return out;
        });
    }

    /**
     * Records the runs of one batch and moves each item on: {@code ok} finishes it, {@code retry} makes it
     * claimable again at once, {@code fail}/{@code abort} finish it as failed ({@code abort} also stops its
     * queue).
     */
    public synchronized void recordRuns(List<RunRecord> runs) {
        inImmediate(() -> {
            try (PreparedStatement attempt = db.prepareStatement(
                    "UPDATE items SET attempts=attempts+1 WHERE id=? RETURNING attempts, queue");
                 PreparedStatement run = db.prepareStatement(
                         "INSERT INTO runs(item, attempt, outcome, worker, started, finished) VALUES(?,?,?,?,?,?)");
                 PreparedStatement done = db.prepareStatement(
                         "UPDATE items SET state=?, lease_until=NULL WHERE id=?");
                 PreparedStatement abort = db.prepareStatement("UPDATE queues SET status='aborted' WHERE name=?")) {
                for (RunRecord r : runs) {
                    attempt.setLong(1, r.itemId());
                    int n;
                    String queue;
                    try (ResultSet rs = attempt.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        n = rs.getInt(1);
                        queue = rs.getString(2);
                    }
                    run.setLong(1, r.itemId());
                    run.setInt(2, n);
                    run.setString(3, r.outcome());
                    run.setString(4, r.worker());
                    run.setLong(5, r.started());
                    run.setLong(6, r.finished());
                    run.executeUpdate();
                    String state = switch (r.outcome()) {
                        case "ok" -> "ok";
                        case "retry" -> "ready";
                        default -> "failed";
                    };
                    done.setString(1, state);
                    done.setLong(2, r.itemId());
                    done.executeUpdate();
                    if ("abort".equals(r.outcome())) {
                        abort.setString(1, queue);
                        abort.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** Counts items per state: ready (unclaimed or lease expired), leased, ok, failed. */
    public synchronized Map<String, Long> itemCounts(long nowMillis) {
        return query(() -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT CASE WHEN state='ready' AND lease_until>? THEN"
                    + " 'leased' ELSE state END AS s, count(*) FROM items GROUP BY s")) {
                ps.setLong(1, nowMillis);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    /** Counts runs per outcome. */
    public synchronized Map<String, Long> runCounts() {
        return query(() -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT outcome, count(*) FROM runs GROUP BY outcome")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** Item ids that have more than one final run (ok/fail/abort): tasks run to the end twice. */
    public synchronized List<Long> itemsFinishedTwice() {
        return query(() -> {
            List<Long> out = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT item FROM runs WHERE outcome<>'retry' GROUP BY item"
                         + " HAVING count(*)>1")) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /** Distinct workers (process ids) that ran items for each run_as contact (null contact as 0). */
    public synchronized Map<Long, List<String>> workersByContact() {
        return query(() -> {
            Map<Long, List<String>> out = new LinkedHashMap<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT DISTINCT coalesce(i.run_as_contact,0), r.worker FROM runs r"
                         + " JOIN items i ON i.id=r.item ORDER BY 1, 2")) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    /** Number of items per run_as contact (0 for none). */
    public synchronized Map<Long, Long> itemsByContact() {
        return query(() -> {
            Map<Long, Long> out = new LinkedHashMap<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT coalesce(run_as_contact,0), count(*) FROM items GROUP BY 1"
                         + " ORDER BY 1")) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** The claims log, oldest first. */
    public synchronized List<ClaimLogRow> claimLog() {
        return query(() -> {
            List<ClaimLogRow> out = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT at, queue, claimed, outstanding FROM claims ORDER BY id")) {
                while (rs.next()) {
                    out.add(new ClaimLogRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4)));
                }
            }
            return out;
        });
    }

    /** The largest number of claimed-and-unfinished items seen right after any claim. */
    public synchronized int maxOutstanding() {
        return query(() -> {
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT coalesce(max(outstanding),0) FROM claims")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Number of items in all queues. */
    public synchronized long itemCount() {
        return query(() -> {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing is best effort
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T query(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new DemoQueueException("demo queue database error: " + e.getMessage(), e);
        }
    }

    private <T> T inImmediate(SqlWork<T> work) {
        try {
            try (Statement s = db.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                T result = work.run();
                try (Statement s = db.createStatement()) {
                    s.execute("COMMIT");
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                try (Statement s = db.createStatement()) {
                    s.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // the transaction may already be gone
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new DemoQueueException("demo queue database error: " + e.getMessage(), e);
        }
    }
}
