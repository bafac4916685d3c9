package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.Lsp;
import dev.plumb.rpc.pipe.StdioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A stdio server speaking the {@link Lsp} dialect, for tests, run as a real child JVM. Methods: {@code echo}
 * (params back), {@code slow {"millis": n}} (answers after n ms; counts cancellations), {@code cancelled} (how many
 * {@code slow} calls were cancelled), {@code symbols {"n": n, "partialResultToken"?: t}} (a {@code Flux} of n
 * strings), notification {@code append {"value": v}} and request {@code appended} (the values in the order their
 * handlers ran). It sets a parallel handler scheduler before applying {@link Lsp}, to show that the dialect takes
 * order back.
 */
public final class LspTestServer {

    private LspTestServer() {
    }

    /** The params of {@code slow}. */
    public record Slow(long millis) {
    }

    /** The params of {@code symbols}. */
    public record Symbols(int n, String partialResultToken) {
    }

    /** The params of {@code append}. */
    public record Append(int value) {
    }

    /** The router with the test methods. */
    public static RpcRouter router() {
        AtomicInteger cancelled = new AtomicInteger();
        List<Integer> appended = new CopyOnWriteArrayList<>();
        return RpcRouter.builder()
                .handler("echo", call -> Mono.justOrEmpty(call.params().raw()))
                .method("slow", Slow.class, s -> Mono.delay(Duration.ofMillis(s.millis()))
                        .thenReturn(s.millis())
                        .doOnCancel(cancelled::incrementAndGet))
                .method("cancelled", () -> Mono.just(cancelled.get()))
                .method("symbols", Symbols.class, s -> Flux.range(0, s.n()).map(i -> "symbol-" + i))
                .method("append", Append.class, a -> {
                    appended.add(a.value());
                    return Mono.empty();
                })
                .method("appended", () -> Mono.just(List.copyOf(appended)))
                .method("pid", () -> Mono.just(Map.of("pid", ProcessHandle.current().pid())))
                .build();
    }

    /** Serves {@link #router()} with the LSP dialect on stdin/stdout until stdin ends. */
    public static void main(String[] args) {
        StdioServer server = StdioServer.create()
                .router(router())
                .handlerScheduler(Schedulers.parallel()); // taken back by Lsp.server: handlers stay in order
        Lsp.dialect().server(server).serve();
    }
}
