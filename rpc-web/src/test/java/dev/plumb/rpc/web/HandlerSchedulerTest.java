package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

/** Where HTTP handlers run: on the event loop by default, on a chosen scheduler when configured. */
@Timeout(60)
class HandlerSchedulerTest {

    private static final RpcRouter THREADS = RpcRouter.builder()
            .method("thread", () -> Mono.fromCallable(() -> Thread.currentThread().getName()))
            .method("threads", () -> Flux.range(0, 3).map(i -> Thread.currentThread().getName()))
            .method("later", () -> Mono.just("late").delayElement(Duration.ofMillis(20)))
            .method("nothing_later", () -> Mono.delay(Duration.ofMillis(20)).then())
            .build();

    @Test
    void handlersRunOnTheEventLoopByDefault() {
        DisposableServer server = HttpRpcServer.create().port(0).router(THREADS).bindNow();
        try {
            StepVerifier.create(client(server).call("thread", null, String.class))
                    .assertNext(t -> assertThat(t).startsWith("reactor-http"))
                    .expectComplete().verify(Duration.ofSeconds(10));
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void handlersThatAnswerLaterOnAnotherThreadAreAnsweredToo() {
        DisposableServer server = HttpRpcServer.create().port(0).router(THREADS).bindNow();
        try {
            StepVerifier.create(Flux.range(0, 20).flatMap(i -> client(server).call("later", null, String.class))
                            .collectList())
                    .assertNext(l -> assertThat(l).hasSize(20).containsOnly("late"))
                    .expectComplete().verify(Duration.ofSeconds(10));
            StepVerifier.create(client(server).call("nothing_later", null).map(n -> n.isNull()))
                    .expectNext(true).expectComplete().verify(Duration.ofSeconds(10));
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void blockingHandlersCanRunOnBoundedElastic() {
        DisposableServer server = HttpRpcServer.create().port(0).router(THREADS)
                .handlerScheduler(Schedulers.boundedElastic()).bindNow();
        try {
            StepVerifier.create(client(server).call("thread", null, String.class))
                    .assertNext(t -> assertThat(t).startsWith("boundedElastic"))
                    .expectComplete().verify(Duration.ofSeconds(10));
            StepVerifier.create(client(server).stream("threads", List.of(), String.class))
                    .expectNextMatches(t -> t.startsWith("boundedElastic")).expectNextCount(2)
                    .expectComplete().verify(Duration.ofSeconds(10));
        } finally {
            server.disposeNow();
        }
    }

    private static HttpRpcClient client(DisposableServer server) {
        return HttpRpcClient.create("http://127.0.0.1:" + server.port() + "/rpc");
    }
}
