package dev.plumb.rpc.web;

import reactor.core.publisher.Mono;

/**
 * Decides who a request comes from before any of it is dispatched.
 *
 * <p>A principal lets the request through and is visible to filters and handlers via {@link RpcPrincipal#current()};
 * an empty {@code Mono} refuses it (HTTP {@code 401} with a JSON-RPC error {@code -32001}, and no handler runs). An
 * error signal is treated as a refusal too, and logged.
 */
@FunctionalInterface
public interface RpcAuthenticator {

    /** The principal of {@code request}, or empty to refuse it. */
    Mono<RpcPrincipal> authenticate(RpcAuthRequest request);
}
