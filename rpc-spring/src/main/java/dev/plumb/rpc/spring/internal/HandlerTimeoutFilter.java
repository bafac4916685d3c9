package dev.plumb.rpc.spring.internal;

import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcFilter;
import dev.plumb.rpc.RpcReply;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Fails a call whose handler has not answered within a time limit with -32603 ({@code timed out after …}); for a
 * {@code Flux} method the limit covers starting the stream, not its length.
 */
public final class HandlerTimeoutFilter implements RpcFilter {

    private final Duration timeout;

    /** A filter with {@code timeout}. */
    public HandlerTimeoutFilter(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Mono<RpcReply> filter(RpcCall call, Next next) {
        return next.proceed(call)
                .timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new RpcErrorException(RpcError.INTERNAL_ERROR,
                        "'" + call.method() + "' timed out after " + timeout.toMillis() + " ms"));
    }
}
