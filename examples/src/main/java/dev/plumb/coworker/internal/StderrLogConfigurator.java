package dev.plumb.coworker.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's start-up configuration for every coworker process, without XML parsing (a pipe process starts many
 * times, so its start-up cost matters): INFO and up to stderr — stdout belongs to the protocol. Subcommands
 * refine it with {@link LogSetup}.
 */
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {

    /**
     * System property that a demo pipe sets before its first log call: WARN and up, no timestamp (coworker's log
     * adds its own to the pipe's stderr lines), which also spares a pipe start the time-zone and locale set-up
     * that a date pattern needs.
     */
    public static final String PIPE_PROPERTY = "coworker.pipeLogging";

    /** Used by logback through {@code ServiceLoader}. */
    public StderrLogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        setContext(context);
        if (Boolean.getBoolean(PIPE_PROPERTY)) {
            LogSetup.configurePipe(context);
        } else {
            LogSetup.configure(context, "info", "text", null, null);
        }
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("reactor").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
