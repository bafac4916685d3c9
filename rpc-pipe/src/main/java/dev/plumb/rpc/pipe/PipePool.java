package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * Several pipes of one command, each serving one <em>context</em> (an opaque key such as the identity a pipe is
 * logged in as). {@link #withPipe(String, Function)} runs work on an idle pipe of that context, or starts one
 * (running the per-context initialiser, e.g. {@code login}, first); work beyond capacity waits in a FIFO queue.
 *
 * <pre>{@code
 * PipePool pool = PipePool.builder(CiviPipe.dialect().transport(PipeTransport.shell("cv pipe")))
 *     .size(2).maxRequests(10).maxAge(Duration.ofMinutes(10)).idleTimeout(Duration.ofMinutes(1))
 *     .initializer(ctx -> peer -> peer.call("login", Map.of("contactId", contactOf(ctx))))
 *     .build();
 * Mono<JsonNode> out = pool.withPipe("d1-c202", pipe -> pipe.call("api4", List.of("Queue", "runItems", args)));
 * }</pre>
 *
 * <p>Rules: a pipe is retired (stopped gracefully) after {@code maxRequests} uses — the initialiser counts as one —
 * when it is older than {@code maxAge} (it takes no new work), or after {@code idleTimeout} without work; an idle
 * pipe of another context is retired to make room when the pool is full and work waits. A dead pipe is never
 * handed work; a pipe whose work was cancelled or failed other than by an error reply (a timeout, say) is retired,
 * since it may still be busy. A pipe that fails to start or to initialise fails the work that waited for it. Defaults: size 2,
 * 10 requests, age 10 min, idle 60 s, readiness 30 s, stop waits 1.5 s + 1.5 s.
 */
public final class PipePool {

    private static final Logger LOG = LoggerFactory.getLogger(PipePool.class);

    private final Builder.Settings config;
    private final Object lock = new Object();
    private final List<Slot> slots = new ArrayList<>();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final Sinks.Many<PoolStats> statsSink = Sinks.many().replay().latest();
    private long started;
    private long retired;
    private long failed;
    private boolean closed;
    private final Set<PipeConnection> children = ConcurrentHashMap.newKeySet();
    private volatile boolean killed;

    private PipePool(Builder.Settings config) {
        this.config = config;
        statsSink.tryEmitNext(snapshot());
    }

    /** A builder for a pool of pipes started with {@code transport}. */
    public static Builder builder(PipeTransport transport) {
        return new Builder(new Builder.Settings(Objects.requireNonNull(transport, "transport")));
    }

    /**
     * Runs {@code work} on a pipe of {@code context}: an idle one, or a new one once there is room. The pipe is
     * returned to the pool when the {@link Mono} ends (or is cancelled). Fails if the pipe cannot start or
     * initialise, or the pool is closed.
     */
    public <T> Mono<T> withPipe(String context, Function<RpcPeer, ? extends Mono<T>> work) {
        Objects.requireNonNull(context, "context");
        return Mono.usingWhen(acquire(context), slot -> work.apply(slot.peer), this::release,
                (slot, error) -> error instanceof RpcErrorException ? release(slot)
                        : retire(slot, "work failed: " + error),
                slot -> retire(slot, "work cancelled"));
    }

    /** The pool's state now. */
    public PoolStats stats() {
        synchronized (lock) {
            return snapshot();
        }
    }

    /** The pool's state, now and after every change. */
    public Flux<PoolStats> statsUpdates() {
        return statsSink.asFlux();
    }

    /** Retires every pipe (gracefully) and fails queued work; completes when all the pool's pipes have exited. */
    public Mono<Void> close() {
        List<Slot> toStop;
        List<Waiter> toFail;
        synchronized (lock) {
            closed = true;
            toStop = new ArrayList<>(slots);
            toFail = new ArrayList<>(queue);
            queue.clear();
            for (Slot s : toStop) {
                retireLocked(s, "pool closed");
            }
            publishLocked();
        }
        RpcConnectionClosedException e = new RpcConnectionClosedException("pipe pool closed");
        toFail.forEach(w -> w.sink.error(e));
        return Flux.fromIterable(toStop)
                .flatMap(s -> s.stopping == null ? Mono.<Void>empty() : s.stopping)
                .thenMany(Flux.defer(() -> Flux.fromIterable(List.copyOf(children))))
                .flatMap(PipeConnection::onClose) // pipes retired earlier and still stopping
                .then(Mono.fromRunnable(statsSink::tryEmitComplete));
    }

    /**
     * Closes the pool at once: fails queued work, and sends SIGKILL now to every pipe it started that still runs
     * (busy, idle, starting or retiring) and to their descendants; work in flight fails. Returns at once;
     * {@link #close()} afterwards completes when they have exited.
     */
    public void kill() {
        killed = true;
        close().subscribe(null, e -> LOG.warn("killing the pool failed", e));
        children.forEach(PipeConnection::terminate);
    }

    /** Remembers a pipe as soon as it runs, so that {@link #kill()} reaches it; a pipe spawned after it dies. */
    private void track(PipeConnection conn) {
        children.add(conn);
        conn.onClose().subscribe(null, e -> children.remove(conn), () -> children.remove(conn));
        if (killed) {
            conn.terminate();
        }
    }

    // ----------------------------------------------------------------------------------------------- internals

    private Mono<Slot> acquire(String context) {
        return Mono.<Slot>create(sink -> {
            Waiter w = new Waiter(context, sink);
            synchronized (lock) {
                if (closed) {
                    sink.error(new RpcConnectionClosedException("pipe pool closed"));
                    return;
                }
                queue.addLast(w);
                dispatchLocked();
            }
            sink.onCancel(() -> {
                w.cancelled = true;
                synchronized (lock) {
                    if (queue.remove(w)) {
                        publishLocked();
                    }
                }
            });
        }).doOnDiscard(Slot.class, slot -> release(slot).subscribe()); // handed over just as it was cancelled
    }

    private Mono<Void> release(Slot slot) {
        return Mono.fromRunnable(() -> {
            synchronized (lock) {
                if (slot.state != State.BUSY) {
                    return;
                }
                slot.lastUsed = System.nanoTime();
                if (!slot.alive()) {
                    retireLocked(slot, "died");
                } else if (slot.uses >= config.maxRequests) {
                    retireLocked(slot, "served " + slot.uses + " requests");
                } else if (slot.tooOld(config.maxAge)) {
                    retireLocked(slot, "older than " + config.maxAge);
                } else {
                    slot.state = State.IDLE;
                    armIdleTimer(slot);
                }
                dispatchLocked();
            }
        });
    }

    /** Retires a pipe whose work was cancelled or failed other than by an error reply: it may still be busy. */
    private Mono<Void> retire(Slot slot, String why) {
        return Mono.fromRunnable(() -> {
            synchronized (lock) {
                if (slot.state == State.BUSY) {
                    retireLocked(slot, why);
                    dispatchLocked();
                }
            }
        });
    }

    /** Hands idle pipes to waiting work and starts pipes where there is room; FIFO, under the lock. */
    private void dispatchLocked() {
        Iterator<Waiter> it = queue.iterator();
        while (it.hasNext()) {
            Waiter w = it.next();
            Slot idle = findIdle(w.context);
            if (idle != null) {
                it.remove();
                handOver(idle, w);
                continue;
            }
            if (live() >= config.size) {
                Slot victim = findIdle(null);
                if (victim == null) {
                    continue; // full: wait for a pipe to come back
                }
                retireLocked(victim, "evicted for context " + w.context);
            }
            it.remove();
            startLocked(w);
        }
        publishLocked();
    }

    private Slot findIdle(String context) {
        for (Slot s : List.copyOf(slots)) {
            if (s.state != State.IDLE || (context != null && !s.context.equals(context))) {
                continue;
            }
            if (!s.alive()) {
                retireLocked(s, "died while idle");
            } else if (s.tooOld(config.maxAge)) {
                retireLocked(s, "older than " + config.maxAge);
            } else {
                return s;
            }
        }
        return null;
    }

    private void handOver(Slot slot, Waiter w) {
        slot.starter = null;
        slot.state = State.BUSY;
        slot.uses++;
        if (slot.idleTimer != null) {
            slot.idleTimer.dispose();
            slot.idleTimer = null;
        }
        w.sink.success(slot);
    }

    private void startLocked(Waiter w) {
        Slot slot = new Slot(w.context);
        slot.starter = w;
        slots.add(slot);
        started++;
        Function<RpcPeer, Mono<?>> init = config.initializer.apply(w.context);
        slot.launch = config.transport.connect(this::track)
                .flatMap(conn -> {
                    synchronized (lock) {
                        slot.connection = conn;
                    }
                    RpcPeer peer = config.peerCustomizer.apply(RpcPeer.builder(conn)).connect();
                    synchronized (lock) {
                        slot.peer = peer;
                    }
                    return Mono.defer(() -> init == null ? Mono.empty() : init.apply(peer)).then(Mono.just(peer));
                })
                .timeout(config.readinessTimeout)
                .subscribe(peer -> onStarted(slot, w), e -> onStartFailed(slot, w, e));
    }

    private void onStarted(Slot slot, Waiter w) {
        synchronized (lock) {
            slot.startedAt = System.nanoTime();
            slot.uses = config.initializerCounts ? 1 : 0;
            slot.peer.onClose().subscribe(null, e -> onDeath(slot), () -> onDeath(slot));
            if (closed) {
                retireLocked(slot, "pool closed");
                publishLocked();
                return;
            }
            if (w.cancelled()) {
                slot.starter = null;
                slot.state = State.IDLE;
                armIdleTimer(slot);
            } else {
                handOver(slot, w);
            }
            dispatchLocked();
        }
    }

    private void onStartFailed(Slot slot, Waiter w, Throwable e) {
        if (slot.state == State.RETIRED) {
            return;
        }
        Throwable error = e instanceof java.util.concurrent.TimeoutException
                ? new PipeStartException(config.transport + ": not ready within "
                        + config.readinessTimeout.toMillis() + " ms (context " + slot.context + ")", e)
                : e instanceof PipeStartException ? e
                : new PipeStartException(config.transport + ": initialising a pipe for context " + slot.context
                        + " failed: " + e.getMessage(), e);
        synchronized (lock) {
            failed++;
            slots.remove(slot);
            slot.state = State.RETIRED;
            if (slot.peer != null) {
                slot.peer.dispose();
            }
            if (slot.connection != null) {
                slot.connection.stop(config.closeWait, config.termWait).subscribe(c -> { }, x -> { });
            }
            dispatchLocked();
        }
        LOG.warn("{}", error.getMessage());
        w.sink.error(error);
    }

    private void onDeath(Slot slot) {
        synchronized (lock) {
            if (slot.state == State.IDLE) {
                retireLocked(slot, "died while idle");
                dispatchLocked();
            }
        }
    }

    private void armIdleTimer(Slot slot) {
        long epoch = ++slot.idleEpoch;
        slot.idleTimer = Mono.delay(config.idleTimeout).subscribe(t -> {
            synchronized (lock) {
                if (slot.state == State.IDLE && slot.idleEpoch == epoch) {
                    retireLocked(slot, "idle for " + config.idleTimeout);
                    dispatchLocked();
                }
            }
        });
    }

    private void retireLocked(Slot slot, String why) {
        if (slot.state == State.RETIRED) {
            return;
        }
        boolean wasStarting = slot.state == State.STARTING;
        slot.state = State.RETIRED;
        slots.remove(slot);
        if (!wasStarting) {
            retired++;
        }
        if (slot.idleTimer != null) {
            slot.idleTimer.dispose();
        }
        if (wasStarting) {
            if (slot.launch != null) {
                slot.launch.dispose();
            }
            if (slot.starter != null) {
                slot.starter.sink.error(new RpcConnectionClosedException("pipe pool closed"));
            }
        }
        LOG.debug("retiring a pipe of context {}: {}", slot.context, why);
        if (slot.connection != null) {
            slot.stopping = slot.connection.stop(config.closeWait, config.termWait)
                    .then()
                    .onErrorResume(e -> Mono.empty())
                    .cache();
            slot.stopping.subscribe();
        }
    }

    private int live() {
        return slots.size();
    }

    private PoolStats snapshot() {
        int busy = 0;
        int idle = 0;
        int starting = 0;
        for (Slot s : slots) {
            switch (s.state) {
                case BUSY -> busy++;
                case IDLE -> idle++;
                case STARTING -> starting++;
                default -> { }
            }
        }
        return new PoolStats(busy, idle, starting, queue.size(), started, retired, failed);
    }

    private void publishLocked() {
        statsSink.tryEmitNext(snapshot());
    }

    private enum State { STARTING, IDLE, BUSY, RETIRED }

    private static final class Slot {
        final String context;
        State state = State.STARTING;
        PipeConnection connection;
        RpcPeer peer;
        Disposable launch;
        Disposable idleTimer;
        long idleEpoch;
        int uses;
        long startedAt;
        long lastUsed;
        Mono<Void> stopping;
        Waiter starter;

        Slot(String context) {
            this.context = context;
        }

        boolean alive() {
            return peer != null && !peer.isDisposed() && connection != null && connection.isAlive();
        }

        boolean tooOld(Duration maxAge) {
            return System.nanoTime() - startedAt >= maxAge.toNanos();
        }
    }

    private static final class Waiter {
        final String context;
        final MonoSink<Slot> sink;
        volatile boolean cancelled;

        Waiter(String context, MonoSink<Slot> sink) {
            this.context = context;
            this.sink = sink;
        }

        boolean cancelled() {
            return cancelled;
        }
    }

    /** Configures a {@link PipePool}; immutable, each method returns a new builder. */
    public static final class Builder {
        private final Settings settings;

        private Builder(Settings settings) {
            this.settings = settings;
        }

        /** At most {@code n} pipes at once. Default: 2. */
        public Builder size(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("size must be at least 1");
            }
            return with(s -> s.size = n);
        }

        /** A pipe is retired after {@code n} uses, the initialiser counting as one. Default: 10. */
        public Builder maxRequests(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxRequests must be at least 1");
            }
            return with(s -> s.maxRequests = n);
        }

        /** A pipe older than {@code age} takes no new work. Default: 10 minutes. */
        public Builder maxAge(Duration age) {
            Objects.requireNonNull(age, "age");
            return with(s -> s.maxAge = age);
        }

        /** A pipe idle for {@code timeout} is stopped. Default: 60 s. */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            return with(s -> s.idleTimeout = timeout);
        }

        /**
         * A new pipe has {@code timeout} to become ready, initialiser included. Default: 30 s
         * ({@link Coprocess#DEFAULT_READINESS_TIMEOUT}).
         */
        public Builder readinessTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            return with(s -> s.readinessTimeout = timeout);
        }

        /** The graceful stop's waits when a pipe retires. Defaults: 1.5 s and 1.5 s. */
        public Builder stopTimeouts(Duration closeWait, Duration termWait) {
            Objects.requireNonNull(closeWait, "closeWait");
            Objects.requireNonNull(termWait, "termWait");
            return with(s -> {
                s.closeWait = closeWait;
                s.termWait = termWait;
            });
        }

        /**
         * Also lets {@code customizer} configure each pipe's peer (e.g. {@code CiviPipe::peer}); customizers
         * compose, applied in the order given. Default: none, the peer's defaults.
         */
        public Builder peer(UnaryOperator<RpcPeer.Builder> customizer) {
            Objects.requireNonNull(customizer, "customizer");
            return with(s -> {
                UnaryOperator<RpcPeer.Builder> before = s.peerCustomizer;
                s.peerCustomizer = b -> customizer.apply(before.apply(b));
            });
        }

        /**
         * Runs {@code initializer.apply(context)} on each new pipe before it takes work (e.g. {@code login}); it
         * counts as one request. Its failure fails the work that waited for the pipe. Replaces an earlier
         * initialiser. Default: none (and then no use is counted for it).
         */
        public Builder initializer(Function<String, Function<RpcPeer, Mono<?>>> initializer) {
            Objects.requireNonNull(initializer, "initializer");
            return with(s -> {
                s.initializer = initializer;
                s.initializerCounts = true;
            });
        }

        /** The pool; pipes start on demand. */
        public PipePool build() {
            return new PipePool(settings);
        }

        private Builder with(Consumer<Settings> change) {
            Settings copy = settings.copy();
            change.accept(copy);
            return new Builder(copy);
        }

        /** Every option with its default; copied once per change, read by the pool. */
        static final class Settings implements Cloneable {
            final PipeTransport transport;
            int size = 2;
            int maxRequests = 10;
            Duration maxAge = Duration.ofMinutes(10);
            Duration idleTimeout = Duration.ofSeconds(60);
            Duration readinessTimeout = Coprocess.DEFAULT_READINESS_TIMEOUT;
            Duration closeWait = PipeConnection.DEFAULT_CLOSE_WAIT;
            Duration termWait = PipeConnection.DEFAULT_TERM_WAIT;
            UnaryOperator<RpcPeer.Builder> peerCustomizer = UnaryOperator.identity();
            Function<String, Function<RpcPeer, Mono<?>>> initializer = ctx -> peer -> Mono.empty();
            boolean initializerCounts;

            Settings(PipeTransport transport) {
                this.transport = transport;
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
}
