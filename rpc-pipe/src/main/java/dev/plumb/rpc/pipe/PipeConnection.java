package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.pipe.internal.InboundFrames;
import dev.plumb.rpc.pipe.internal.InboundFrames.HeaderStep;
import dev.plumb.rpc.pipe.internal.OutboundFrames;
import dev.plumb.rpc.pipe.internal.StderrDrain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A running subprocess as an {@link RpcConnection}: frames in from its stdout, frames out to its stdin, its stderr
 * drained into the log. Made by {@link PipeTransport#connect()}.
 *
 * <p>When the child exits by itself, {@link #receive()} errors with a {@link PipeClosedException} carrying the exit
 * code and the last stderr lines; when we closed it ({@link #dispose()}, {@link #stop(Duration, Duration)}, or
 * the outbound publisher completing) it completes.
 */
public final class PipeConnection implements RpcConnection {

    /** How long {@link #dispose()} waits after closing stdin before SIGTERM: 1.5 s. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofMillis(1500);
    /** How long {@link #dispose()} waits after SIGTERM before SIGKILL: 1.5 s. */
    public static final Duration DEFAULT_TERM_WAIT = Duration.ofMillis(1500);
    /** How many stderr lines are kept for error messages: 20. */
    public static final int STDERR_TAIL_LINES = 20;

    private static final byte[] HEADER_KEY = ("\"" + WelcomeHeader.KEY + "\"").getBytes(StandardCharsets.UTF_8);

    private final Process process;
    private final String description;
    private final Logger log;
    private final StderrDrain stderr;
    private final InboundFrames inbound;
    private final OutboundFrames outbound;
    private final Sinks.One<Optional<WelcomeHeader>> ready = Sinks.one();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private volatile boolean closeRequested;
    private volatile boolean stopRequested;
    private volatile WelcomeHeader welcome;
    private final AtomicReference<Mono<Integer>> stopping = new AtomicReference<>();

    PipeConnection(Process process, String description, Logger log, Framing framing, boolean expectHeader,
                   boolean detectHeader, Predicate<byte[]> inboundFilter, String threadPrefix) {
        this.process = process;
        this.description = description;
        this.log = log;
        this.stderr = new StderrDrain(process.getErrorStream(), log, STDERR_TAIL_LINES, threadPrefix + "-err");
        Function<byte[], HeaderStep> headerPhase = expectHeader ? this::onHeaderCandidate
                : detectHeader ? this::onOptionalHeader : null;
        this.inbound = new InboundFrames(process.getInputStream(), framing.newDecoder(), headerPhase,
                inboundFilter == null ? null : frame -> {
                    if (frame == OVERSIZED_FRAME || inboundFilter.test(frame)) {
                        return true;
                    }
                    log.warn("{}: dropped stdout noise: {}", description,
                            WelcomeHeader.abbreviate(new String(frame, StandardCharsets.UTF_8)));
                    return false;
                }, this::onStdoutEnd, () -> stopRequested,
                this::dispose, () -> closed.tryEmitEmpty(), threadPrefix + "-out");
        this.outbound = new OutboundFrames(process.getOutputStream(), framing, log, () -> closeRequested = true,
                threadPrefix + "-in");
        if (!expectHeader) {
            ready.tryEmitValue(Optional.empty());
        }
    }

    void start() {
        stderr.start();
        outbound.start();
        inbound.start();
    }

    /** Completes with the welcome header (empty when none was expected) once the pipe is ready. */
    Mono<Optional<WelcomeHeader>> ready() {
        return ready.asMono();
    }

    @Override
    public Flux<byte[]> receive() {
        return inbound.frames();
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return outbound.attach(frames, description);
    }

    @Override
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * The welcome header the child printed, if one was expected (or, with
     * {@link PipeTransport#detectWelcomeHeader()}, once its first line turned out to be one).
     */
    public Optional<WelcomeHeader> welcomeHeader() {
        return Optional.ofNullable(welcome);
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child's exit code, once it has exited. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** The last lines (about 20) the child wrote to stderr, oldest first. */
    public List<String> stderrTail() {
        return stderr.tail();
    }

    /**
     * Closes stdin at once, then returns immediately; in the background waits 1.5 s for the child to exit, sends
     * SIGTERM, waits 1.5 s more and sends SIGKILL. Use {@link #stop(Duration, Duration)} to wait or choose the waits.
     */
    @Override
    public void dispose() {
        if (stopping.get() == null) {
            stop(DEFAULT_CLOSE_WAIT, DEFAULT_TERM_WAIT).subscribe(code -> { }, e -> log.warn("stop failed", e));
        }
    }

    @Override
    public boolean isDisposed() {
        return closeRequested;
    }

    /**
     * Stops the child gracefully: closes stdin, waits up to {@code closeWait} for it to exit, sends SIGTERM (to it
     * and its descendants), waits up to {@code termWait}, then sends SIGKILL. Emits the exit code once the child
     * has exited and the connection has closed. Only the first stop's waits count; later calls join it.
     */
    public Mono<Integer> stop(Duration closeWait, Duration termWait) {
        return Mono.defer(() -> {
            Mono<Integer> first = stopping.get();
            if (first != null) {
                return first;
            }
            Mono<Integer> mine = escalate(closeWait, termWait).cache();
            return stopping.compareAndSet(null, mine) ? mine : stopping.get();
        });
    }

    private Mono<Integer> escalate(Duration closeWait, Duration termWait) {
        return Mono.defer(() -> {
            closeRequested = true;
            stopRequested = true;
            outbound.close();
            return exit().timeout(closeWait)
                    .onErrorResume(TimeoutException.class, e -> {
                        log.info("{} did not exit {} ms after stdin closed; sending SIGTERM", description,
                                closeWait.toMillis());
                        signal(false);
                        return exit().timeout(termWait);
                    })
                    .onErrorResume(TimeoutException.class, e -> {
                        log.warn("{} ignored SIGTERM for {} ms; sending SIGKILL", description, termWait.toMillis());
                        signal(true);
                        return exit();
                    })
                    .flatMap(code -> closed.asMono().thenReturn(code));
        });
    }

    /** Kills the child at once (SIGKILL to it and its descendants), as a crash would; {@link #receive()} errors. */
    public void kill() {
        signal(true);
    }

    /**
     * Stops the child now: SIGKILL to it and its descendants at once, as a requested stop ({@link #receive()}
     * completes; a graceful stop in progress is cut short). Emits the exit code once the connection has closed.
     */
    Mono<Integer> terminate() {
        closeRequested = true;
        stopRequested = true;
        outbound.close();
        signal(true);
        Mono<Integer> mine = exit().flatMap(code -> closed.asMono().thenReturn(code)).cache();
        stopping.compareAndSet(null, mine);
        return mine;
    }

    private Mono<Integer> exit() {
        return Mono.fromFuture(process.onExit(), true).map(Process::exitValue);
    }

    private void signal(boolean force) {
        try {
            process.descendants().forEach(h -> {
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            });
        } catch (RuntimeException e) {
            log.debug("could not list descendants of {}: {}", description, e.toString());
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    private HeaderStep onHeaderCandidate(byte[] frame) {
        if (frame == OVERSIZED_FRAME) {
            ready.tryEmitError(new PipeStartException(description + ": the welcome header line is too long"));
            dispose();
            return HeaderStep.CONSUMED;
        }
        String line = new String(frame, StandardCharsets.UTF_8).trim();
        if (!line.startsWith("{")) {
            log.warn("{}: ignoring stdout noise before the welcome header: {}", description,
                    WelcomeHeader.abbreviate(line));
            return HeaderStep.WAIT;
        }
        try {
            WelcomeHeader header = WelcomeHeader.parse(line);
            welcome = header;
            ready.tryEmitValue(Optional.of(header));
        } catch (PipeStartException e) {
            ready.tryEmitError(new PipeStartException(description + ": " + e.getMessage(), e.getCause()));
            dispose();
        }
        return HeaderStep.CONSUMED;
    }

    /**
     * Header detection: the first line that starts with {@code {} or {@code [} is the header if it is one; lines
     * before it (noise, prefixed replies) are delivered as usual.
     */
    private HeaderStep onOptionalHeader(byte[] frame) {
        if (frame == OVERSIZED_FRAME) {
            return HeaderStep.PASS_ON;
        }
        int i = 0;
        while (i < frame.length && (frame[i] == ' ' || frame[i] == '\t' || frame[i] == '\r')) {
            i++;
        }
        if (i == frame.length || (frame[i] != '{' && frame[i] != '[')) {
            return HeaderStep.PASS_ON_AND_WAIT; // noise (or a prefixed reply): handled as usual, keep looking
        }
        if (frame[i] != '{' || indexOf(frame, HEADER_KEY) < 0) {
            return HeaderStep.PASS_ON;
        }
        try {
            welcome = WelcomeHeader.parse(frame);
            log.debug("{}: welcome header {}", description, welcome.line());
            return HeaderStep.CONSUMED;
        } catch (PipeStartException e) {
            return HeaderStep.PASS_ON; // not a header after all: a message mentioning the key
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private Throwable onStdoutEnd(Throwable readFailure) {
        boolean exited = false;
        try {
            exited = process.waitFor(closeRequested ? 60 : 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stderr.awaitEnd(500);
        int code = exited ? process.exitValue() : PipeClosedException.STILL_RUNNING;
        boolean requested = closeRequested;
        outbound.close();
        Throwable reason = null;
        if (!requested) {
            PipeClosedException e = new PipeClosedException(description, code, stderr.tail());
            if (readFailure != null) {
                e.addSuppressed(readFailure);
            }
            reason = e;
            if (!exited) {
                signal(true);
            }
            log.debug("{}", e.getMessage());
        } else if (readFailure != null) {
            log.debug("{}: stdout read failed while closing: {}", description, readFailure.toString());
        }
        ready.tryEmitError(reason != null
                ? new PipeStartException(description + " closed before it was ready: " + reason.getMessage(), reason)
                : new PipeStartException(description + " was closed before it was ready"));
        return reason;
    }
}
