package dev.plumb.coworker.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Runs one batch of claimed items of one run_as context with {@code Queue.runItems}: on a pool pipe logged in
 * as that contact, or over HTTP.
 */
public interface BatchRunner {

    /** The {@code runItems} result rows of a batch and how long {@code runItems} took (pipe start not included). */
    record Result(JsonNode rows, long runNanos) {
    }

    /**
     * Runs {@code items} ({@code {id, queue}} maps) for {@code runAs} ({@code {contactId, domainId}} or null);
     * emits the {@code runItems} result rows with the call's time. Fails after {@code timeout}.
     */
    Mono<Result> run(String context, Map<String, Object> runAs, List<Map<String, Object>> items, Duration timeout);

    /** Counters for the summary (e.g. pipes started and retired); empty by default. */
    default Map<String, Object> counters() {
        return Map.of();
    }

    /** Stops everything gracefully. */
    Mono<Void> stop();

    /** Stops everything at once. */
    void kill();

    /** The params of {@code Queue.runItems} for {@code items}. */
    static Object runItemsParams(List<Map<String, Object>> items) {
        return List.of("Queue", "runItems", Map.of("items", items, "checkPermissions", false));
    }
}
