package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * A started {@link Coprocess}: the current child's peer, its lifecycle events, and a graceful stop.
 *
 * <p>Calls go to the child that is ready now; while a child is starting or restarting, they wait for it. A call in
 * flight when the child dies fails with {@link PipeClosedException} (exit code and last stderr lines); the next
 * call goes to the restarted child. When the restart policy is exhausted or the coprocess is stopped, waiting and
 * later calls fail with {@link RpcConnectionClosedException}.
 */
public final class RunningCoprocess {

    private static final Logger LOG = LoggerFactory.getLogger(RunningCoprocess.class);

    private final Coprocess.Settings config;
    private final Object lock = new Object();
    private final Sinks.Many<LifecycleEvent> events = Sinks.many().replay().limit(256);

    private Sinks.One<RpcPeer> ready = Sinks.one();
    private int generation;
    private int restarts;
    private int failuresInARow;
    private PipeConnection connection;
    private RpcPeer peer;
    private Disposable pendingLaunch;
    private boolean over;
    private Mono<Void> stopping;
    private final Set<PipeConnection> children = ConcurrentHashMap.newKeySet();
    private volatile boolean killed;

    RunningCoprocess(Coprocess.Settings config) {
        this.config = config;
    }

    RunningCoprocess launchFirst() {
        launch();
        return this;
    }

    /** The ready peer of the current child; waits while one is starting, fails when the coprocess is over. */
    public Mono<RpcPeer> peer() {
        return Mono.defer(() -> {
                    synchronized (lock) {
                        return ready.asMono();
                    }
                })
                .filter(p -> !p.isDisposed()) // its child just died: wait for the next one
                .repeatWhenEmpty(Integer.MAX_VALUE, tries -> tries.delayElements(Duration.ofMillis(5)));
    }

    /** Calls {@code method} on the current child; see {@link RpcPeer#call(String, Object)}. */
    public Mono<JsonNode> call(String method, @Nullable Object params) {
        return peer().flatMap(p -> p.call(method, params));
    }

    /** Calls {@code method} on the current child and binds the result to {@code type}. */
    public <T> Mono<T> call(String method, @Nullable Object params, Class<T> type) {
        return peer().flatMap(p -> p.call(method, params, type));
    }

    /** Sends a notification to the current child. */
    public Mono<Void> notify(String method, @Nullable Object params) {
        return peer().flatMap(p -> p.notify(method, params));
    }

    /** The lifecycle events so far (the last 256 are replayed to a new subscriber) and those to come. */
    public Flux<LifecycleEvent> events() {
        return events.asFlux();
    }

    /** The current child's connection, while one is running. */
    public Optional<PipeConnection> connection() {
        synchronized (lock) {
            return Optional.ofNullable(connection);
        }
    }

    /** How many children have been started so far. */
    public int generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /**
     * Stops for good: no more restarts; the current child gets the graceful stop (close stdin, wait, SIGTERM,
     * wait, SIGKILL). Completes once it has exited and {@link LifecycleEvent.Type#STOPPED} was emitted.
     */
    public Mono<Void> stop() {
        return stop(false);
    }

    /**
     * Stops for good at once: no more restarts, and SIGKILL now to every child this coprocess started that still
     * runs (the current one, one still starting, one still stopping) and to their descendants; calls in flight
     * fail. Returns at once; {@link #stop()} (or {@link #events()} completing) tells when they have exited.
     */
    public void kill() {
        killed = true;
        stop(true).subscribe(null, e -> LOG.warn("{}: kill failed", transportName(), e));
        children.forEach(PipeConnection::terminate);
    }

    private Mono<Void> stop(boolean force) {
        return Mono.defer(() -> {
            synchronized (lock) {
                if (stopping != null) {
                    return stopping;
                }
                boolean alreadyOver = over;
                over = true;
                if (pendingLaunch != null) {
                    pendingLaunch.dispose();
                }
                RpcConnectionClosedException stopped =
                        new RpcConnectionClosedException(transportName() + ": coprocess stopped");
                ready.tryEmitError(stopped); // callers waiting for a child
                ready = Sinks.one(); // callers from now on (the old sink may hold the peer just closed)
                ready.tryEmitError(stopped);
                PipeConnection conn = connection;
                RpcPeer p = peer;
                int gen = generation;
                Mono<Void> exit = conn == null ? Mono.empty()
                        : (force ? conn.terminate() : conn.stop(config.closeWait, config.termWait))
                                .doOnNext(code -> emit(LifecycleEvent.exited(gen, OptionalInt.of(code),
                                        conn.description())))
                                .then();
                stopping = exit
                        .onErrorResume(e -> {
                            LOG.warn("{}: stopping failed", transportName(), e);
                            return Mono.empty();
                        })
                        .then(Mono.fromRunnable(() -> {
                            if (p != null) {
                                p.dispose();
                            }
                            synchronized (lock) {
                                connection = null;
                                peer = null;
                                if (!alreadyOver) {
                                    emit(LifecycleEvent.of(LifecycleEvent.Type.STOPPED, gen, "stopped"));
                                }
                                events.tryEmitComplete();
                            }
                        }))
                        .then()
                        .cache();
                return stopping;
            }
        });
    }

    // ----------------------------------------------------------------------------------------------- internals

    private void launch() {
        int gen;
        synchronized (lock) {
            if (over) {
                return;
            }
            gen = ++generation;
            emit(LifecycleEvent.of(LifecycleEvent.Type.STARTING, gen, config.transport.toString()));
        }
        Disposable d = config.transport.connect(this::track)
                .flatMap(conn -> {
                    synchronized (lock) {
                        if (over || gen != generation) {
                            conn.dispose();
                            return Mono.empty();
                        }
                        connection = conn;
                    }
                    RpcPeer p = config.peerCustomizer.apply(RpcPeer.builder(conn)).connect();
                    return Mono.defer(() -> config.initializer.apply(p))
                            .then(Mono.just(p))
                            .doOnError(e -> p.dispose())
                            .doOnCancel(p::dispose);
                })
                .timeout(config.readinessTimeout)
                .subscribe(p -> onReady(gen, p), e -> onStartFailed(gen, e));
        synchronized (lock) {
            if (gen == generation && !over) {
                pendingLaunch = d;
            }
        }
    }

    /** Remembers a child as soon as it runs, so that {@link #kill()} reaches it; a child spawned after it dies. */
    private void track(PipeConnection conn) {
        children.add(conn);
        conn.onClose().subscribe(null, e -> children.remove(conn), () -> children.remove(conn));
        if (killed) {
            conn.terminate();
        }
    }

    private void onReady(int gen, RpcPeer p) {
        PipeConnection conn;
        synchronized (lock) {
            if (over || gen != generation) {
                p.dispose();
                return;
            }
            conn = connection;
            peer = p;
            failuresInARow = 0;
            pendingLaunch = null;
            emit(LifecycleEvent.of(LifecycleEvent.Type.READY, gen, conn.description()));
            ready.tryEmitValue(p);
        }
        p.onClose().subscribe(null, e -> onExit(gen, conn), () -> onExit(gen, conn));
    }

    private void onExit(int gen, PipeConnection conn) {
        synchronized (lock) {
            if (!over && gen == generation) {
                ready = Sinks.one(); // calls from now on wait for the next child
            }
        }
        conn.onClose().subscribe(null, null, () -> {
            synchronized (lock) {
                if (over || gen != generation) {
                    return;
                }
                connection = null;
                peer = null;
                OptionalInt code = conn.exitCode();
                PipeClosedException reason = new PipeClosedException(conn.description(),
                        code.orElse(PipeClosedException.STILL_RUNNING), conn.stderrTail());
                emit(LifecycleEvent.exited(gen, code, reason.getMessage()));
                failuresInARow++;
                restartOrGiveUp(reason);
            }
        });
    }

    private void onStartFailed(int gen, Throwable error) {
        synchronized (lock) {
            if (over || gen != generation) {
                return;
            }
            PipeConnection conn = connection;
            connection = null;
            pendingLaunch = null;
            if (conn != null) {
                conn.stop(config.closeWait, config.termWait).subscribe(c -> { }, e -> { });
            }
            OptionalInt code = OptionalInt.empty();
            Throwable cause = error.getCause();
            if (cause instanceof PipeClosedException closed && closed.exitCode() != PipeClosedException.STILL_RUNNING) {
                code = OptionalInt.of(closed.exitCode());
            }
            String detail = error instanceof java.util.concurrent.TimeoutException
                    ? "not ready within " + config.readinessTimeout.toMillis() + " ms"
                    : String.valueOf(error.getMessage());
            LOG.warn("{}: start #{} failed: {}", transportName(), gen, detail);
            emit(LifecycleEvent.exited(gen, code, "start failed: " + detail));
            failuresInARow++;
            restartOrGiveUp(error instanceof PipeStartException ? error
                    : new PipeStartException(transportName() + ": start failed: " + detail, error));
        }
    }

    /** Called under the lock after a child exited or failed to start. */
    private void restartOrGiveUp(Throwable reason) {
        if (config.restart.allowsRestart(restarts)) {
            restarts++;
            Duration delay = config.delayFor(failuresInARow);
            emit(LifecycleEvent.of(LifecycleEvent.Type.RESTARTING, generation + 1,
                    "in " + delay.toMillis() + " ms (restart " + restarts + ", policy " + config.restart + ")"));
            pendingLaunch = Mono.delay(delay).subscribe(t -> launch());
            return;
        }
        over = true;
        emit(LifecycleEvent.of(LifecycleEvent.Type.STOPPED, generation,
                "restart policy " + config.restart + " exhausted"));
        RpcConnectionClosedException failure = reason instanceof RpcConnectionClosedException c ? c
                : new RpcConnectionClosedException(transportName() + ": coprocess over: " + reason.getMessage(),
                        reason);
        ready.tryEmitError(failure);
        events.tryEmitComplete();
    }

    private void emit(LifecycleEvent event) {
        LOG.debug("{}: {}", transportName(), event);
        events.tryEmitNext(event);
    }

    private String transportName() {
        return config.transport.toString();
    }
}
