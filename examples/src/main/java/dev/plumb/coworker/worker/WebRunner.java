package dev.plumb.coworker.worker;

import dev.plumb.coworker.channel.RpcChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Runs batches over HTTP: {@code Queue.runItems} posted to the web channel. HTTP carries no login state, so the
 * endpoint runs each item as its own run_as (the token grants that).
 */
public final class WebRunner implements BatchRunner {

    private final RpcChannel web;

    /** A runner posting to {@code web}. */
    public WebRunner(RpcChannel web) {
        this.web = web;
    }

    @Override
    public Mono<JsonNode> run(String context, Map<String, Object> runAs, List<Map<String, Object>> items,
                              Duration timeout) {
        return web.call("api4", BatchRunner.runItemsParams(items), timeout);
    }

    @Override
    public Mono<Void> stop() {
        return web.stop();
    }

    @Override
    public void kill() {
        web.kill();
    }
}
