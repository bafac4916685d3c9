package dev.plumb.coworker.internal;

import dev.plumb.coworker.worker.WorkerStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.Status;

/**
 * {@code coworker run}'s display on a terminal: a progress area that stays at the bottom of the screen (one line per
 * queue with a bar of tasks done of claimed, and a total line with rate and elapsed time) while log lines scroll
 * above it. Built on JLine's {@link Status}, which keeps the area out of the terminal's scroll region, so log lines
 * never overwrite it and it never ends up in the scrollback.
 *
 * <p>{@link #open()} gives a display only when stderr is a terminal that can do that (a cursor-addressable
 * {@code TERM} with a scroll region); otherwise coworker writes plain log lines as before. Every write — log lines
 * and redraws — goes through one lock, so they never interleave.
 */
public final class TerminalDisplay implements AutoCloseable {

    /** Queue lines shown at most; more queues are summed up in one line. */
    static final int MAX_QUEUE_LINES = 4;

    private final Terminal terminal;
    private final Status status;
    private final boolean unicode;
    private final Object lock = new Object();
    private boolean closed;
    private WorkerStats last;
    /**
     * The terminal's width, read at the start and on SIGWINCH only: asking JLine's exec terminal for its size
     * runs {@code stty}, which a redraw four times a second should not.
     */
    private int columns;

    private TerminalDisplay(Terminal terminal, Size size) {
        this.terminal = terminal;
        this.columns = size.getColumns();
        this.status = Status.getStatus(terminal, true);
        this.unicode = StandardCharsets.UTF_8.equals(terminal.outputEncoding());
        terminal.handle(Terminal.Signal.WINCH, sig -> {
            synchronized (lock) {
                if (!closed) {
                    try {
                        Size now = terminal.getSize();
                        columns = now.getColumns();
                        status.resize(now);
                        draw();
                    } catch (RuntimeException | java.io.IOError e) {
                        // keep the old size
                    }
                }
            }
        });
    }

    /** A display on this process's terminal (stderr), or empty when there is none fit for one. */
    public static Optional<TerminalDisplay> open() {
        Terminal t = null;
        try {
            t = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysErr)
                    .dumb(true) // a dumb terminal instead of a warning when there is no real one; refused below
                    .build();
            Size size = t.getSize();
            if (!fit(t, size)) {
                t.close();
                return Optional.empty();
            }
            return Optional.of(new TerminalDisplay(t, size));
        } catch (IOException | RuntimeException | java.io.IOError | LinkageError e) {
            if (t != null) {
                try {
                    t.close();
                } catch (IOException | RuntimeException ignored) {
                    // nothing more to do
                }
            }
            return Optional.empty();
        }
    }

    private static boolean fit(Terminal t, Size size) {
        String type = t.getType();
        return type != null && !type.startsWith(Terminal.TYPE_DUMB)
                && t.getStringCapability(Capability.change_scroll_region) != null
                && t.getStringCapability(Capability.save_cursor) != null
                && t.getStringCapability(Capability.restore_cursor) != null
                && t.getStringCapability(Capability.cursor_address) != null
                && size.getColumns() >= 40 && size.getRows() >= MAX_QUEUE_LINES + 4;
    }

    /** Writes {@code text} (whole lines) above the progress area. */
    public void printAbove(String text) {
        synchronized (lock) {
            if (closed) {
                System.err.print(text);
                System.err.flush();
                return;
            }
            terminal.writer().print(text);
            terminal.writer().flush();
        }
    }

    /** Redraws the progress area from {@code stats}. */
    public void update(WorkerStats stats) {
        synchronized (lock) {
            last = stats;
            if (!closed) {
                draw();
            }
        }
    }

    private void draw() {
        if (last != null) {
            try {
                status.update(lines(last, columns, unicode));
                terminal.flush();
            } catch (RuntimeException | java.io.IOError e) {
                // a terminal that went away (hang-up) or a failed write: the next redraw tries again
            }
        }
    }

    /** Removes the progress area and gives the whole screen back; later log lines go straight to stderr. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                status.hide(); // clears the area's lines
                status.close(); // and gives the scroll region back
                terminal.flush();
            } catch (RuntimeException ignored) {
                // the terminal went away; nothing to restore
            }
        }
    }

    /** The progress area's lines for {@code stats} on a terminal {@code width} columns wide. */
    static List<AttributedString> lines(WorkerStats stats, int width, boolean unicode) {
        List<AttributedString> out = new ArrayList<>();
        List<WorkerStats.QueueStats> queues = stats.queues();
        int nameWidth = 5;
        for (WorkerStats.QueueStats q : queues) {
            nameWidth = Math.max(nameWidth, Math.min(24, q.name().length()));
        }
        int shown = queues.size() <= MAX_QUEUE_LINES ? queues.size() : MAX_QUEUE_LINES - 1;
        for (int i = 0; i < shown; i++) {
            WorkerStats.QueueStats q = queues.get(i);
            out.add(queueLine(q.name(), q.done(), q.claimed(), q.ok(), q.retry(), q.failed(), nameWidth, width,
                    unicode));
        }
        if (shown < queues.size()) {
            long done = 0;
            long claimed = 0;
            long ok = 0;
            long retry = 0;
            long failed = 0;
            for (WorkerStats.QueueStats q : queues.subList(shown, queues.size())) {
                done += q.done();
                claimed += q.claimed();
                ok += q.ok();
                retry += q.retry();
                failed += q.failed();
            }
            out.add(queueLine("+" + (queues.size() - shown) + " more", done, claimed, ok, retry, failed, nameWidth,
                    width, unicode));
        }
        AttributedStringBuilder total = new AttributedStringBuilder();
        total.styled(AttributedStyle.BOLD, " total ");
        String sep = unicode ? " · " : " | ";
        total.append(String.format(Locale.ROOT, " %d of %d claimed done%s%d running%s%.1f/s%s%s",
                stats.done(), stats.claimed(), sep, stats.running(), sep, stats.rate(), sep,
                clock(stats.elapsedSeconds())));
        if (stats.batchErrors() > 0) {
            total.append(sep);
            total.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED),
                    stats.batchErrors() + " in failed batches");
        }
        total.styled(AttributedStyle.DEFAULT.faint(), sep + "Ctrl-C stops");
        out.add(total.toAttributedString().columnSubSequence(0, width - 1));
        return out;
    }

    private static AttributedString queueLine(String name, long done, long claimed, long ok, long retry, long failed,
                                              int nameWidth, int width, boolean unicode) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        String shownName = name.length() > nameWidth ? name.substring(0, nameWidth - 1) + (unicode ? "…" : "~") : name;
        b.append(' ');
        b.styled(AttributedStyle.BOLD, String.format(Locale.ROOT, "%-" + nameWidth + "s", shownName));
        b.append("  ");
        int barWidth = Math.max(10, Math.min(30, width - nameWidth - 60));
        int full = claimed == 0 ? 0 : (int) Math.min(barWidth, done * barWidth / claimed);
        b.styled(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN), repeat(unicode ? '█' : '#', full));
        b.styled(AttributedStyle.DEFAULT.faint(), repeat(unicode ? '░' : '-', barWidth - full));
        b.append(String.format(Locale.ROOT, " %5d/%-5d", done, claimed));
        b.append("  ok ").append(Long.toString(ok));
        b.append("  ");
        b.styled(retry > 0 ? AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW) : AttributedStyle.DEFAULT,
                "retry " + retry);
        b.append("  ");
        b.styled(failed > 0 ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : AttributedStyle.DEFAULT,
                "failed " + failed);
        return b.toAttributedString().columnSubSequence(0, width - 1);
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(Math.max(0, n));
    }

    /** {@code m:ss} (or {@code h:mm:ss}). */
    static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
