package dev.plumb.rpc.fuzz;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects every ERROR logged while a fuzz input runs: Plumb logs an exception it caught instead of answering
 * (e.g. "failed to process an inbound frame"), so an error in the log is an exception that escaped the protocol
 * layer, and the input fails for it.
 */
public final class LoggedErrors extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
        IThrowableProxy t = event.getThrowableProxy();
        SEEN.add(event.getLoggerName() + ": " + event.getFormattedMessage()
                + (t == null ? "" : " (" + t.getClassName() + ": " + t.getMessage() + ")"));
    }

    /** Forgets what was logged so far. */
    public static void clear() {
        SEEN.clear();
    }

    /** Throws when anything was logged at ERROR since {@link #clear()}. */
    public static void assertNone() {
        String first = SEEN.peek();
        if (first != null) {
            SEEN.clear();
            throw new AssertionError("logged an error instead of answering: " + first);
        }
    }
}
