package dev.plumb.coworker.worker;

import dev.plumb.coworker.internal.PipeCommands;
import dev.plumb.rpc.pipe.CiviPipe;
import dev.plumb.rpc.pipe.PipePool;
import dev.plumb.rpc.pipe.PoolStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Runs batches on rpc-pipe's {@link PipePool} of worker pipes in the {@link CiviPipe} dialect: at most
 * {@code workerCount} pipes, one run_as context each (a new pipe first sends {@code login {"contactId":N}}), retired
 * after {@code workerRequests} uses (the login counts) or {@code workerDuration}, stopped after
 * {@code workerTimeout} idle. A dead pipe is never handed work; a pipe that fails to start or log in fails its
 * batch; a batch that fails for any reason but an API error retires its pipe.
 */
public final class PipePoolRunner implements BatchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipePoolRunner.class);

    private final PipePool pool;

    /** A pool of {@code command} pipes with coworker's pool settings. */
    public PipePoolRunner(String command, int workerCount, int workerRequests, Duration workerDuration,
                          Duration workerTimeout, Duration requestTimeout) {
        CiviPipe civi = CiviPipe.dialect();
        this.pool = PipePool.builder(civi.transport(PipeCommands.transport(command, "worker")))
                .size(workerCount).maxRequests(workerRequests).maxAge(workerDuration).idleTimeout(workerTimeout)
                .readinessTimeout(requestTimeout)
                .peer(b -> civi.peer(b).timeout(requestTimeout))
                .initializer(context -> peer -> {
                    long contact = contactOf(context);
                    Mono<JsonNode> negotiate = civi.negotiate(peer);
                    if (contact == 0) {
                        return negotiate.then();
                    }
                    return negotiate.then(CiviPipe.login(peer, Map.of("contactId", contact)))
                            .doOnNext(r -> LOG.debug("worker pipe for {} logged in: {}", context, r));
                })
                .build();
    }

    /** The contact of a context key {@code d{domainId}-c{contactId}}; 0 for none. */
    static long contactOf(String context) {
        int c = context.lastIndexOf("-c");
        try {
            return c < 0 ? 0 : Long.parseLong(context.substring(c + 2));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public Mono<Result> run(String context, Map<String, Object> runAs, List<Map<String, Object>> items,
                            Duration timeout) {
        return pool.withPipe(context, peer -> Mono.defer(() -> {
            long t0 = System.nanoTime();
            return peer.callRaw("api4", BatchRunner.runItemsParams(items), timeout)
                    .map(raw -> new Result(peer.codec().tree(raw), System.nanoTime() - t0));
        }));
    }

    /** The pool's state now. */
    public PoolStats stats() {
        return pool.stats();
    }

    @Override
    public Map<String, Object> counters() {
        PoolStats st = pool.stats();
        return Map.of("workerPipesStarted", st.started(), "workerPipesRetired", st.retired(),
                "workerPipesFailed", st.failed());
    }

    @Override
    public Mono<Void> stop() {
        return pool.close();
    }

    @Override
    public void kill() {
        pool.close().subscribe(null, e -> { });
    }
}
