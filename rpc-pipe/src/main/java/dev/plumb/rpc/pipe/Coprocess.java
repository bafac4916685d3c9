package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcPeer;
import java.time.Duration;
import java.util.Objects;
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

    final PipeTransport transport;
    final RestartPolicy restart;
    final Duration restartDelay;
    final double backoffFactor;
    final Duration maxRestartDelay;
    final Duration readinessTimeout;
    final Duration closeWait;
    final Duration termWait;
    final UnaryOperator<RpcPeer.Builder> peerCustomizer;
    final Function<RpcPeer, Mono<?>> initializer;

    private Coprocess(PipeTransport transport, RestartPolicy restart, Duration restartDelay, double backoffFactor,
                      Duration maxRestartDelay, Duration readinessTimeout, Duration closeWait, Duration termWait,
                      UnaryOperator<RpcPeer.Builder> peerCustomizer, Function<RpcPeer, Mono<?>> initializer) {
        this.transport = transport;
        this.restart = restart;
        this.restartDelay = restartDelay;
        this.backoffFactor = backoffFactor;
        this.maxRestartDelay = maxRestartDelay;
        this.readinessTimeout = readinessTimeout;
        this.closeWait = closeWait;
        this.termWait = termWait;
        this.peerCustomizer = peerCustomizer;
        this.initializer = initializer;
    }

    /** A coprocess of {@code transport} with the defaults. */
    public static Coprocess of(PipeTransport transport) {
        return new Coprocess(Objects.requireNonNull(transport), RestartPolicy.never(), DEFAULT_RESTART_DELAY, 1.0,
                DEFAULT_RESTART_DELAY, DEFAULT_READINESS_TIMEOUT, PipeConnection.DEFAULT_CLOSE_WAIT,
                PipeConnection.DEFAULT_TERM_WAIT, b -> b, p -> Mono.empty());
    }

    /** A copy with another restart policy (default never). */
    public Coprocess restart(RestartPolicy policy) {
        return new Coprocess(transport, Objects.requireNonNull(policy), restartDelay, backoffFactor, maxRestartDelay,
                readinessTimeout, closeWait, termWait, peerCustomizer, initializer);
    }

    /** A copy waiting {@code delay} before each restart (default 1 s). */
    public Coprocess restartDelay(Duration delay) {
        return new Coprocess(transport, restart, requireNonNegative(delay), backoffFactor,
                max(maxRestartDelay, delay), readinessTimeout, closeWait, termWait, peerCustomizer, initializer);
    }

    /**
     * A copy whose restart delay grows by {@code factor} after each failed attempt in a row, up to {@code max};
     * a child that becomes ready resets it. Default: no growth.
     */
    public Coprocess backoff(double factor, Duration max) {
        if (factor < 1.0) {
            throw new IllegalArgumentException("factor must be >= 1");
        }
        return new Coprocess(transport, restart, restartDelay, factor, requireNonNegative(max), readinessTimeout,
                closeWait, termWait, peerCustomizer, initializer);
    }

    /** A copy giving each child {@code timeout} to become ready, initialiser included (default 30 s). */
    public Coprocess readinessTimeout(Duration timeout) {
        return new Coprocess(transport, restart, restartDelay, backoffFactor, maxRestartDelay,
                requireNonNegative(timeout), closeWait, termWait, peerCustomizer, initializer);
    }

    /** A copy with the graceful stop's waits: after closing stdin, then after SIGTERM (defaults 1.5 s each). */
    public Coprocess stopTimeouts(Duration closeWait, Duration termWait) {
        return new Coprocess(transport, restart, restartDelay, backoffFactor, maxRestartDelay, readinessTimeout,
                requireNonNegative(closeWait), requireNonNegative(termWait), peerCustomizer, initializer);
    }

    /** A copy that lets {@code customizer} configure each child's peer (router, timeout, dialect). */
    public Coprocess peer(UnaryOperator<RpcPeer.Builder> customizer) {
        return new Coprocess(transport, restart, restartDelay, backoffFactor, maxRestartDelay, readinessTimeout,
                closeWait, termWait, Objects.requireNonNull(customizer), initializer);
    }

    /**
     * A copy that runs {@code initializer} on each new child's peer before it counts as ready (e.g. an
     * {@code options} call); its failure is a failed start.
     */
    public Coprocess initializer(Function<RpcPeer, Mono<?>> initializer) {
        return new Coprocess(transport, restart, restartDelay, backoffFactor, maxRestartDelay, readinessTimeout,
                closeWait, termWait, peerCustomizer, Objects.requireNonNull(initializer));
    }

    /** Starts the first child and supervises it until {@link RunningCoprocess#stop()}. */
    public RunningCoprocess start() {
        return new RunningCoprocess(this).launchFirst();
    }

    Duration delayFor(int failuresInARow) {
        double factor = Math.pow(backoffFactor, Math.max(0, failuresInARow - 1));
        double millis = restartDelay.toMillis() * factor;
        return millis >= maxRestartDelay.toMillis() && backoffFactor > 1.0 ? maxRestartDelay
                : Duration.ofMillis((long) millis);
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
}
