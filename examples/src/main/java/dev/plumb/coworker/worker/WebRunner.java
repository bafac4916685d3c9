package dev.plumb.coworker.worker;

import dev.plumb.rpc.web.HttpRpcClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

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
    public Mono<JsonNode> run(String context, Map<String, Object> runAs, List<Map<String, Object>> items,
                              Duration timeout) {
        return web.timeout(timeout).call("api4", BatchRunner.runItemsParams(items));
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
