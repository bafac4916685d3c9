package dev.plumb.rpc;

import org.reactivestreams.Publisher;

/**
 * Runs one method: params in, a {@code Mono} (one result) or {@code Flux} (a stream) out.
 *
 * <p>Errors are signalled, not thrown across threads: an {@link RpcErrorException} answers with its error, any
 * other failure with -32603 Internal error (details only in the server's log).
 */
@FunctionalInterface
public interface RpcHandler {
    /** Handles {@code call}; a {@code Mono} gives one result (empty means {@code null}), a {@code Flux} a stream. */
    Publisher<?> handle(RpcCall call);
}
