package dev.plumb.rpc.pipe.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;

/**
 * Drains a child's stderr on its own daemon thread, line by line, into a logger, keeping the last lines for error
 * messages. Reads as fast as the child writes, so the child never blocks on a full stderr pipe; over-long lines are
 * cut at {@value #MAX_LINE} bytes.
 */
public final class StderrDrain implements Runnable {

    /** The longest line kept; the rest of a longer line is dropped. */
    public static final int MAX_LINE = 8192;

    private final InputStream in;
    private final Logger log;
    private final int tailSize;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean done;

    /** A drain for {@code in} logging to {@code log} and keeping {@code tailSize} lines; call {@link #start()}. */
    public StderrDrain(InputStream in, Logger log, int tailSize, String threadName) {
        this.in = in;
        this.log = log;
        this.tailSize = tailSize;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the draining thread. */
    public void start() {
        thread.start();
    }

    /** Waits up to {@code millis} for the stream to end (so that the tail is complete). */
    public void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the stream has ended. */
    public boolean isDone() {
        return done;
    }

    /** The last lines read, oldest first. */
    public List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    @Override
    public void run() {
        byte[] buf = new byte[16384];
        byte[] line = new byte[MAX_LINE];
        int len = 0;
        boolean truncated = false;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line, len, truncated);
                        len = 0;
                        truncated = false;
                    } else if (len < MAX_LINE) {
                        line[len++] = b;
                    } else {
                        truncated = true;
                    }
                }
            }
        } catch (IOException e) {
            log.debug("stderr closed: {}", e.toString());
        } finally {
            if (len > 0) {
                emit(line, len, truncated);
            }
            done = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private void emit(byte[] line, int len, boolean truncated) {
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        String s = new String(line, 0, len, StandardCharsets.UTF_8);
        if (truncated) {
            s = s + "…";
        }
        synchronized (tail) {
            if (tail.size() == tailSize) {
                tail.removeFirst();
            }
            tail.addLast(s);
        }
        log.info("{}", s);
    }
}
