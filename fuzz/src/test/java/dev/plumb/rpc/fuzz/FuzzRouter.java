package dev.plumb.rpc.fuzz;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The methods the fuzz inputs call: the specification examples' methods, an echo of the raw params, handlers that
 * throw or fail with Java exceptions (whose class names and messages must not reach the wire), one that answers with
 * an application error, and a stream.
 */
final class FuzzRouter {

    record Subtract(int minuend, int subtrahend) {
    }

    record Sum(int a, int b, int c) {
    }

    private FuzzRouter() {
    }

    static RpcRouter build() {
        return RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("sum", Sum.class, p -> Mono.just(p.a() + p.b() + p.c()))
                .method("get_data", () -> Mono.just(List.of("hello", 5)))
                .handler("update", call -> Mono.empty())
                .handler("notify_hello", call -> Mono.empty())
                .handler("echo", call -> Mono.just(call.params().raw()))
                .handler("throws", call -> {
                    throw new IllegalStateException("java.lang.IllegalStateException at dev.plumb.Secret");
                })
                .handler("fails", call -> Mono.error(new java.io.UncheckedIOException("tools.jackson.Leak",
                        new java.io.IOException("at dev.plumb.rpc.Secret.method(Secret.java:1)"))))
                .handler("refuses", call -> Mono.error(new RpcErrorException(new RpcError(-32001, "refused", null))))
                .handler("count", call -> Flux.range(1, 3))
                .build();
    }
}
