package dev.plumb.coworker.worker;

import dev.plumb.rpc.web.HttpRpcClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Runs batches over HTTP with rpc-web's {@link HttpRpcClient}: {@code Queue.runItems} posted to the endpoint.
 * HTTP carries no login state, so the endpoint runs each item as its own run_as (the token grants that).
 */
public final class WebRunner implements BatchRunner {

    private final HttpRpcClient web;

    /** A runner posting with {@code web}. */
    public WebRunner(HttpRpcClient web) {
        this.web = web;
    }

    @Override
    public Mono<Result> run(String context, Map<String, Object> runAs, List<Map<String, Object>> items,
                            Duration timeout) {
        return Mono.defer(() -> {
            long t0 = System.nanoTime();
            return web.timeout(timeout).call("api4", BatchRunner.runItemsParams(items))
                    .map(rows -> new Result(rows, System.nanoTime() - t0));
        });
    }

    @Override
    public Mono<Void> stop() {
        return Mono.empty();
    }

    @Override
    public void kill() {
        // nothing to kill: in-flight requests end with the process
    }
}
