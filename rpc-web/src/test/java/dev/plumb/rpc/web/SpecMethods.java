package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.test.SpecRouter;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/** The methods the specification's examples assume ({@link SpecRouter}), plus a few for streaming and auth tests. */
final class SpecMethods {

    /** How many times any handler ran. */
    final AtomicInteger handlerRuns = new AtomicInteger();

    RpcRouter router() {
        return builder().build();
    }

    RpcRouter.Builder builder() {
        return SpecRouter.addTo(RpcRouter.builder()
                        .filter((call, next) -> {
                            handlerRuns.incrementAndGet();
                            return next.proceed(call);
                        }))
                .method("count", Integer.class, n -> Flux.range(0, n))
                .method("whoami", () -> RpcPrincipal.current().map(RpcPrincipal::name).defaultIfEmpty("nobody"))
                // reads the context only when its items are subscribed, as streamed handlers often do
                .method("whoami_each", Integer.class, n -> Flux.range(0, n).flatMap(i -> RpcPrincipal.current()
                        .map(RpcPrincipal::name).defaultIfEmpty("nobody")));
    }
}
