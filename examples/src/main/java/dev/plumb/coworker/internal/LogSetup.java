package dev.plumb.coworker.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Configures logback for a subcommand: level, text or JSON lines, stderr or a file. stdout is never used. */
public final class LogSetup {

    private LogSetup() {
    }

    /** Applies {@code level} ({@code info}, …), {@code format} ({@code text}|{@code json}) and optional file. */
    public static void apply(String level, String format, String file) {
        apply(level, format, file, null);
    }

    /**
     * As {@link #apply(String, String, String)}; with a {@code console}, lines that would go to stderr are handed
     * to it instead (the terminal display writes them above its progress area).
     */
    public static void apply(String level, String format, String file, Consumer<String> console) {
        configure((LoggerContext) LoggerFactory.getILoggerFactory(), level, format, file, console);
    }

    /** Configures {@code ctx}; see {@link #apply(String, String, String, Consumer)}. */
    static void configure(LoggerContext ctx, String level, String format, String file, Consumer<String> console) {
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        Encoder<ILoggingEvent> encoder;
        if ("json".equals(format)) {
            encoder = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder p = new PatternLayoutEncoder();
            p.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
            encoder = p;
        }
        encoder.setContext(ctx);
        encoder.start();
        Appender<ILoggingEvent> appender;
        if ((file == null || file.isBlank()) && console != null) {
            appender = new LineAppender(encoder, console);
        } else if (file != null && !file.isBlank()) {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setFile(file);
            f.setAppend(true);
            f.setEncoder(encoder);
            appender = f;
        } else {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setTarget("System.err");
            c.setEncoder(encoder);
            appender = c;
        }
        appender.setContext(ctx);
        appender.setName("coworker");
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.toLevel(level, Level.INFO));
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        ctx.getLogger("reactor").setLevel(Level.WARN);
    }

    /** Hands each encoded event, as text, to a consumer (the terminal display). */
    static final class LineAppender extends AppenderBase<ILoggingEvent> {
        private final Encoder<ILoggingEvent> encoder;
        private final Consumer<String> console;

        LineAppender(Encoder<ILoggingEvent> encoder, Consumer<String> console) {
            this.encoder = encoder;
            this.console = console;
        }

        @Override
        protected void append(ILoggingEvent event) {
            console.accept(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }
    }

    /** A pipe process's logging: WARN and up to stderr as {@code LEVEL logger - message}, no date. */
    static void configurePipe(LoggerContext ctx) {
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        PatternLayoutEncoder p = new PatternLayoutEncoder();
        p.setPattern("%-5level %logger{20} - %msg%n");
        p.setContext(ctx);
        p.start();
        ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
        c.setTarget("System.err");
        c.setContext(ctx);
        c.setEncoder(p);
        c.setName("pipe");
        c.start();
        root.addAppender(c);
        root.setLevel(Level.WARN);
    }

    /** One JSON object per log line: time, level, logger, message, thread, error. */
    static final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
        private static final JsonMapper MAPPER = JsonMapper.builder().build();

        @Override
        public byte[] headerBytes() {
            return null;
        }

        @Override
        public byte[] encode(ILoggingEvent e) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("time", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            o.put("level", e.getLevel().toString());
            o.put("logger", e.getLoggerName());
            o.put("message", e.getFormattedMessage());
            o.put("thread", e.getThreadName());
            if (e.getThrowableProxy() != null) {
                o.put("error", e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage());
            }
            return (MAPPER.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] footerBytes() {
            return null;
        }
    }
}
