package dev.plumb.rpc.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The examples of docs/testing.md, "Testing your service": each is a test here, so that none can rot. */
@Timeout(60)
class RpcTestPairTest {

    /** A user's service: a greeting, a countdown stream, a slow method, and an error. */
    static RpcRouter service() {
        return RpcRouter.builder()
                .method("greet", String[].class, name -> Mono.just("hello " + name[0]))
                .method("countdown", Integer.class, n -> Flux.range(0, n).map(i -> n - i))
                .method("slow", () -> Mono.delay(Duration.ofMinutes(5)).thenReturn("late"))
                .method("fail", () -> Mono.error(new IllegalStateException("broken")))
                .build();
    }

    @Test
    void aCallIsVerifiedWithStepVerifier() {
        try (RpcTestPair pair = RpcTestPair.of(service())) {
            StepVerifier.create(pair.client().call("greet", List.of("ada"), String.class))
                    .expectNext("hello ada")
                    .verifyComplete();
        }
    }

    @Test
    void aStreamIsVerifiedItemByItemWithItsDemand() {
        try (RpcTestPair pair = RpcTestPair.of(service())) {
            StepVerifier.create(pair.client().stream("countdown", 5, Integer.class), 2)
                    .expectNext(5, 4)
                    .thenRequest(3)
                    .expectNext(3, 2, 1)
                    .verifyComplete();
            // the demand crossed the wire as the consumer asked: 2, then 3
            assertThat(pair.frames().sentMessages(m -> m.path("method").asString().equals("$/stream/request")))
                    .extracting(m -> m.get("params").get("n").asLong())
                    .containsExactly(2L, 3L);
        }
    }

    @Test
    void anErrorArrivesAsAnRpcErrorException() {
        try (RpcTestPair pair = RpcTestPair.of(service())) {
            StepVerifier.create(pair.client().call("fail", null))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcErrorException.class)
                            .extracting(x -> ((RpcErrorException) x).code()).isEqualTo(-32603))
                    .verify(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTimeoutIsTestedOnVirtualTimeInAnInstant() {
        try (RpcTestPair pair = RpcTestPair.of(service(), c -> c.timeout(Duration.ofSeconds(30)), s -> s)) {
            // the call is made inside the supplier, so its timeout is armed on the virtual clock
            StepVerifier.withVirtualTime(() -> pair.client().call("slow", null))
                    .expectSubscription()
                    .expectNoEvent(Duration.ofSeconds(29))
                    .thenAwait(Duration.ofSeconds(2))
                    .expectError(RpcTimeoutException.class)
                    .verify(Duration.ofSeconds(10));
            assertThat(pair.client().pendingCount()).isZero();
            // and the server was told: the timed-out call was cancelled on the wire
            assertThat(pair.frames().sentMethods()).containsExactly("slow", "$/cancelRequest");
        }
    }

    @Test
    void theFramesOnTheWireCanBeAsserted() {
        try (RpcTestPair pair = RpcTestPair.of(service())) {
            StepVerifier.create(pair.client().notify("greet", List.of("nobody"))
                            .then(pair.client().call("greet", Map.of("0", "x"), String.class).onErrorResume(e ->
                                    Mono.empty()))
                            .then(pair.client().call("greet", List.of("bob"), String.class)))
                    .expectNext("hello bob")
                    .verifyComplete();
            assertThat(pair.frames().sentMethods()).containsExactly("greet", "greet", "greet");
            assertThat(pair.frames().sent().get(0).has("id")).as("a notification has no id").isFalse();
            assertThat(pair.frames().received()).hasSize(2)
                    .last().satisfies(reply -> assertThat(reply.get("result").asString()).isEqualTo("hello bob"));
            assertThat(pair.frames().receivedText().get(0)).contains("\"error\"");
        }
    }

    @Test
    void closingThePairFailsWhatIsPending() {
        RpcTestPair pair = RpcTestPair.of(service());
        StepVerifier.create(pair.client().call("slow", null))
                .expectSubscription()
                .then(pair::close)
                .expectError(RpcConnectionClosedException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(pair.server().isDisposed()).isTrue();
    }
}
