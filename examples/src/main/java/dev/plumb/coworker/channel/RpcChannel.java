package dev.plumb.coworker.channel;

import java.time.Duration;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One way to reach a JSON-RPC peer for coworker's traffic: a subprocess pipe or an HTTP endpoint.
 *
 * <p>Every call has a timeout; a failed channel says so through {@link #isAlive()} and is never handed work.
 */
public interface RpcChannel {

    /** Calls {@code method}; fails with {@code RpcTimeoutException} after {@code timeout}. Cold. */
    Mono<JsonNode> call(String method, Object params, Duration timeout);

    /** Whether the channel can take calls. */
    boolean isAlive();

    /** Stops the channel gracefully (a pipe: close stdin, wait, SIGTERM, wait, SIGKILL). */
    Mono<Void> stop();

    /** Stops the channel at once. */
    void kill();

    /** A short name for logs, e.g. {@code pipe#3[pid 1234]}. */
    String description();
}
