package dev.plumb.coworker.worker;

import dev.plumb.coworker.channel.ProcessPipe;
import dev.plumb.coworker.channel.RpcChannel;
import dev.plumb.rpc.RpcConnectionClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The pool of worker pipes: at most {@code workerCount} processes of the pipe command, each logged in as one
 * run_as context, retired after {@code workerRequests} requests (the login counts) or {@code workerDuration},
 * stopped after {@code workerTimeout} idle. Work goes to an idle live pipe of its context, else to a new pipe
 * (an idle pipe of another context is stopped to make room). A dead pipe is dropped, never handed work; a pipe
 * that fails to start or to log in fails the batch that waited for it.
 */
public final class PipePoolRunner implements BatchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipePoolRunner.class);

    private final String command;
    private final int workerCount;
    private final int workerRequests;
    private final Duration workerDuration;
    private final Duration workerTimeout;
    private final int cleanupCount;
    private final Duration requestTimeout;
    private final List<Entry> entries = new ArrayList<>();
    private boolean stopped;

    private static final class Entry {
        final String context;
        final long startedAt = System.nanoTime();
        RpcChannel channel;
        int requests;
        long lastUsed = System.nanoTime();
        boolean busy = true;

        Entry(String context) {
            this.context = context;
        }
    }

    /** A pool of {@code command} pipes with coworker's pool settings. */
    public PipePoolRunner(String command, int workerCount, int workerRequests, Duration workerDuration,
                          Duration workerTimeout, int cleanupCount, Duration requestTimeout) {
        this.command = command;
        this.workerCount = workerCount;
        this.workerRequests = workerRequests;
        this.workerDuration = workerDuration;
        this.workerTimeout = workerTimeout;
        this.cleanupCount = cleanupCount;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Mono<JsonNode> run(String context, Map<String, Object> runAs, List<Map<String, Object>> items,
                              Duration timeout) {
        return Mono.usingWhen(acquire(context, runAs),
                e -> {
                    synchronized (this) {
                        e.requests++;
                    }
                    return e.channel.call("api4", BatchRunner.runItemsParams(items), timeout);
                },
                e -> Mono.fromRunnable(() -> release(e, true)),
                (e, err) -> Mono.fromRunnable(() -> release(e, false)),
                e -> Mono.fromRunnable(() -> release(e, false)));
    }

    private Mono<Entry> acquire(String context, Map<String, Object> runAs) {
        return Mono.defer(() -> {
            List<RpcChannel> toStop = new ArrayList<>();
            Entry fresh;
            synchronized (this) {
                if (stopped) {
                    return Mono.error(new RpcConnectionClosedException("the worker pool is stopped"));
                }
                entries.removeIf(e -> !e.busy && (e.channel == null || !e.channel.isAlive()));
                for (Entry e : entries) {
                    if (!e.busy && e.context.equals(context) && !retired(e)) {
                        e.busy = true;
                        return Mono.just(e);
                    }
                }
                Iterator<Entry> it = entries.iterator();
                while (it.hasNext()) { // retired idle pipes go first
                    Entry e = it.next();
                    if (!e.busy && retired(e)) {
                        it.remove();
                        toStop.add(e.channel);
                    }
                }
                it = entries.iterator();
                while (entries.size() >= workerCount && it.hasNext()) { // then idle pipes of other contexts
                    Entry e = it.next();
                    if (!e.busy) {
                        it.remove();
                        toStop.add(e.channel);
                    }
                }
                fresh = new Entry(context);
                entries.add(fresh); // counts against workerCount while starting
            }
            toStop.forEach(c -> c.stop().subscribe(null, err -> LOG.debug("stopping {}: {}", c.description(), err)));
            return ProcessPipe.start(command, "worker-" + context, true, requestTimeout)
                    .flatMap(pipe -> {
                        synchronized (this) {
                            fresh.channel = pipe;
                            if (stopped) {
                                pipe.kill();
                                return Mono.error(new RpcConnectionClosedException("the worker pool is stopped"));
                            }
                        }
                        if (runAs == null) {
                            return Mono.just(fresh);
                        }
                        return pipe.call("login", Map.of("contactId", runAs.get("contactId")), requestTimeout)
                                .doOnNext(r -> LOG.debug("{} logged in as {}", pipe.description(), r))
                                .thenReturn(fresh);
                    })
                    .doOnNext(e -> {
                        synchronized (this) {
                            e.requests = runAs == null ? 0 : 1;
                        }
                    })
                    .doOnError(err -> {
                        synchronized (this) {
                            entries.remove(fresh);
                        }
                        if (fresh.channel != null) {
                            fresh.channel.kill();
                        }
                        LOG.warn("worker pipe for {} failed to start or log in: {}", context, err.getMessage());
                    });
        });
    }

    private boolean retired(Entry e) {
        return e.requests >= workerRequests || System.nanoTime() - e.startedAt >= workerDuration.toNanos()
                || e.channel == null || !e.channel.isAlive();
    }

    private void release(Entry e, boolean healthy) {
        RpcChannel stop = null;
        synchronized (this) {
            e.busy = false;
            e.lastUsed = System.nanoTime();
            if (!healthy || stopped || retired(e)) {
                entries.remove(e);
                stop = e.channel;
            }
        }
        if (stop != null) {
            RpcChannel c = stop;
            if (healthy) {
                c.stop().subscribe(null, err -> LOG.debug("stopping {}: {}", c.description(), err.toString()));
            } else {
                c.kill(); // a failed or timed-out pipe may be stuck mid-request
            }
        }
    }

    @Override
    public void cleanup() {
        List<RpcChannel> idle = new ArrayList<>();
        synchronized (this) {
            Iterator<Entry> it = entries.iterator();
            while (it.hasNext() && idle.size() < cleanupCount) {
                Entry e = it.next();
                if (!e.busy && (System.nanoTime() - e.lastUsed >= workerTimeout.toNanos() || retired(e))) {
                    it.remove();
                    if (e.channel != null) {
                        idle.add(e.channel);
                    }
                }
            }
        }
        idle.forEach(c -> {
            LOG.debug("stopping idle {}", c.description());
            c.stop().subscribe(null, err -> LOG.debug("stopping {}: {}", c.description(), err.toString()));
        });
    }

    /** Pipes alive now, busy or idle. */
    public synchronized int size() {
        return entries.size();
    }

    @Override
    public Mono<Void> stop() {
        List<RpcChannel> all = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            for (Entry e : entries) {
                if (e.channel != null) {
                    all.add(e.channel);
                }
            }
            entries.clear();
        }
        return Flux.fromIterable(all).flatMap(c -> c.stop().onErrorResume(err -> Mono.empty())).then();
    }

    @Override
    public void kill() {
        List<RpcChannel> all = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            for (Entry e : entries) {
                if (e.channel != null) {
                    all.add(e.channel);
                }
            }
            entries.clear();
        }
        all.forEach(RpcChannel::kill);
    }
}
