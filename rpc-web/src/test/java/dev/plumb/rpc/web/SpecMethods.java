package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcRouter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The methods the specification's examples assume, plus a few for streaming and auth tests. */
final class SpecMethods {

    /** subtract's params, positional by component order or named. */
    record Subtract(int minuend, int subtrahend) {
    }

    /** sum's params. */
    record Sum(int a, int b, int c) {
    }

    /** How many times any handler ran. */
    final AtomicInteger handlerRuns = new AtomicInteger();

    RpcRouter router() {
        return builder().build();
    }

    RpcRouter.Builder builder() {
        return RpcRouter.builder()
                .filter((call, next) -> {
                    handlerRuns.incrementAndGet();
                    return next.proceed(call);
                })
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("sum", Sum.class, p -> Mono.just(p.a() + p.b() + p.c()))
                .method("update", int[].class, p -> Mono.empty())
                .method("get_data", () -> Mono.just(List.of("hello", 5)))
                .method("notify_hello", int[].class, p -> Mono.empty())
                .method("notify_sum", int[].class, p -> Mono.empty())
                .method("count", Integer.class, n -> Flux.range(0, n))
                .method("whoami", () -> RpcPrincipal.current().map(RpcPrincipal::name).defaultIfEmpty("nobody"))
                // reads the context only when its items are subscribed, as streamed handlers often do
                .method("whoami_each", Integer.class, n -> Flux.range(0, n).flatMap(i -> RpcPrincipal.current()
                        .map(RpcPrincipal::name).defaultIfEmpty("nobody")));
    }
}
