package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcPeer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * A supervised subprocess peer: how to start it ({@link PipeTransport}), when to restart it, how long it may take
 * to become ready, and how to stop it. An immutable fluent configuration; {@link #start()} runs it.
 *
 * <pre>{@code
 * RunningCoprocess cv = Coprocess.of(PipeTransport.shell("cv pipe").welcomeHeader(true))
 *     .restart(RestartPolicy.unlimited())
 *     .restartDelay(Duration.ofSeconds(1)).backoff(2.0, Duration.ofSeconds(30))
 *     .peer(b -> b.timeout(Duration.ofSeconds(60)))
 *     .start();
 * Mono<JsonNode> rows = cv.call("api4", List.of("Contact", "get", Map.of("limit", 1)));
 * }</pre>
 *
 * <p>Defaults: restart {@link RestartPolicy#never()}, restart delay 1 s with no backoff, readiness timeout 30 s,
 * stop waits 1.5 s after closing stdin and 1.5 s after SIGTERM, peer defaults.
 */
public final class Coprocess {

    /** The default delay before a restart: 1 s. */
    public static final Duration DEFAULT_RESTART_DELAY = Duration.ofSeconds(1);
    /** The default time a child has to become ready: 30 s. */
    public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;

    private Coprocess(Settings settings) {
        this.settings = settings;
    }

    /** A coprocess of {@code transport} with the defaults. */
    public static Coprocess of(PipeTransport transport) {
        return new Coprocess(new Settings(Objects.requireNonNull(transport, "transport")));
    }

    /** A copy with another restart policy. Default: {@link RestartPolicy#never()}. */
    public Coprocess restart(RestartPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return with(s -> s.restart = policy);
    }

    /** A copy waiting {@code delay} before each restart. Default: 1 s ({@link #DEFAULT_RESTART_DELAY}). */
    public Coprocess restartDelay(Duration delay) {
        requireNonNegative(delay);
        return with(s -> {
            s.restartDelay = delay;
            s.maxRestartDelay = max(s.maxRestartDelay, delay);
        });
    }

    /**
     * A copy whose restart delay grows by {@code factor} after each failed attempt in a row, up to {@code max};
     * a child that becomes ready resets it. Default: no growth (factor 1).
     */
    public Coprocess backoff(double factor, Duration max) {
        if (factor < 1.0) {
            throw new IllegalArgumentException("factor must be >= 1");
        }
        requireNonNegative(max);
        return with(s -> {
            s.backoffFactor = factor;
            s.maxRestartDelay = max;
        });
    }

    /**
     * A copy giving each child {@code timeout} to become ready, initialiser included. Default: 30 s
     * ({@link #DEFAULT_READINESS_TIMEOUT}).
     */
    public Coprocess readinessTimeout(Duration timeout) {
        requireNonNegative(timeout);
        return with(s -> s.readinessTimeout = timeout);
    }

    /**
     * A copy with the graceful stop's waits: after closing stdin, then after SIGTERM. Defaults: 1.5 s each
     * ({@link PipeConnection#DEFAULT_CLOSE_WAIT}, {@link PipeConnection#DEFAULT_TERM_WAIT}).
     */
    public Coprocess stopTimeouts(Duration closeWait, Duration termWait) {
        requireNonNegative(closeWait);
        requireNonNegative(termWait);
        return with(s -> {
            s.closeWait = closeWait;
            s.termWait = termWait;
        });
    }

    /**
     * A copy that also lets {@code customizer} configure each child's peer (router, timeout, dialect); customizers
     * compose, applied in the order given, so one added after {@link CiviPipe#coprocess} keeps the dialect's
     * settings. Default: none, the peer's defaults.
     */
    public Coprocess peer(UnaryOperator<RpcPeer.Builder> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        return with(s -> {
            UnaryOperator<RpcPeer.Builder> before = s.peerCustomizer;
            s.peerCustomizer = b -> customizer.apply(before.apply(b));
        });
    }

    /**
     * A copy that runs {@code initializer} on each new child's peer before it counts as ready (e.g. an
     * {@code options} call); its failure is a failed start. Replaces an earlier initialiser. Default: none.
     */
    public Coprocess initializer(Function<RpcPeer, Mono<?>> initializer) {
        Objects.requireNonNull(initializer, "initializer");
        return with(s -> s.initializer = initializer);
    }

    /** Starts the first child and supervises it until {@link RunningCoprocess#stop()}. */
    public RunningCoprocess start() {
        return new RunningCoprocess(settings).launchFirst();
    }

    private Coprocess with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new Coprocess(copy);
    }

    private static Duration requireNonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        return d;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Every option with its default; copied once per change, read by {@link RunningCoprocess}. */
    static final class Settings implements Cloneable {
        final PipeTransport transport;
        RestartPolicy restart = RestartPolicy.never();
        Duration restartDelay = DEFAULT_RESTART_DELAY;
        double backoffFactor = 1.0;
        Duration maxRestartDelay = DEFAULT_RESTART_DELAY;
        Duration readinessTimeout = DEFAULT_READINESS_TIMEOUT;
        Duration closeWait = PipeConnection.DEFAULT_CLOSE_WAIT;
        Duration termWait = PipeConnection.DEFAULT_TERM_WAIT;
        UnaryOperator<RpcPeer.Builder> peerCustomizer = UnaryOperator.identity();
        Function<RpcPeer, Mono<?>> initializer = p -> Mono.empty();

        Settings(PipeTransport transport) {
            this.transport = transport;
        }

        Duration delayFor(int failuresInARow) {
            double factor = Math.pow(backoffFactor, Math.max(0, failuresInARow - 1));
            double millis = restartDelay.toMillis() * factor;
            return millis >= maxRestartDelay.toMillis() && backoffFactor > 1.0 ? maxRestartDelay
                    : Duration.ofMillis((long) millis);
        }

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
