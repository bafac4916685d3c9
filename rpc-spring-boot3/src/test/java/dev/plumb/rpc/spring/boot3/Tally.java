package dev.plumb.rpc.spring.boot3;

import dev.plumb.rpc.RpcService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The service both Boot 3.5 applications serve. */
@RpcService(prefix = "tally/")
public interface Tally {

    /** A counted thing. */
    record Count(String name, int value) {
    }

    /** Adds {@code n} to {@code name}'s count and answers the new count. */
    Mono<Integer> add(String name, int n);

    /** {@code n} counts, as a stream. */
    Flux<Count> range(int n);

    /** A notification. */
    void note(String text);

    /** The caller's principal name, or {@code nobody}. */
    Mono<String> whoami();

    /** The length of {@code text}. */
    Mono<Integer> length(String text);
}
