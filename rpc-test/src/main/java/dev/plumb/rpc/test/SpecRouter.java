package dev.plumb.rpc.test;

import dev.plumb.rpc.RpcRouter;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The methods the specification's examples assume ({@link SpecExamples}): {@code subtract} by position and by
 * name, {@code sum}, {@code get_data}, and the notifications {@code update}, {@code notify_hello} and
 * {@code notify_sum}. {@code foobar} and {@code foo.get} are absent on purpose.
 */
public final class SpecRouter {

    /** {@code subtract}'s params, by position in this order or by name. */
    record Subtract(int minuend, int subtrahend) {
    }

    /** {@code sum}'s params. */
    record Sum(int a, int b, int c) {
    }

    private SpecRouter() {
    }

    /** A router with the specification's methods and nothing else. */
    public static RpcRouter create() {
        return addTo(RpcRouter.builder()).build();
    }

    /**
     * Adds the specification's methods to {@code builder}, for a router that also serves methods of its own (or a
     * Spring {@code RpcRouterCustomizer}: {@code SpecRouter::addTo}); returns {@code builder}.
     */
    public static RpcRouter.Builder addTo(RpcRouter.Builder builder) {
        return builder
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("sum", Sum.class, p -> Mono.just(p.a() + p.b() + p.c()))
                .method("get_data", () -> Mono.just(List.of("hello", 5)))
                .handler("update", call -> Mono.empty())
                .handler("notify_hello", call -> Mono.empty())
                .handler("notify_sum", call -> Mono.empty());
    }
}
