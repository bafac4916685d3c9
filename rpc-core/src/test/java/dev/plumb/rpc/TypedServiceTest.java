package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** One interface serves both sides: a router registers the implementation, a peer calls it through a proxy. */
@Timeout(30)
class TypedServiceTest {

    record Query(String prefix, int limit) {
    }

    record Item(int id, String name) {
    }

    @RpcService(prefix = "calc/")
    interface Calculator {
        Mono<Integer> subtract(int minuend, int subtrahend);

        @RpcMethod(value = "subtractNamed", params = RpcParamStyle.NAMED)
        Mono<Integer> subtractByName(@RpcParam("minuend") int a, @RpcParam("subtrahend") int b);

        Mono<List<Item>> items(Query query);

        Flux<Integer> count(int n);

        void log(String line);

        @RpcMethod(notification = true)
        Mono<Void> mark(String label);

        Mono<Void> reset();

        Mono<String> greet(String name);
    }

    static final class CalculatorImpl implements Calculator {
        final List<String> logged = new CopyOnWriteArrayList<>();

        @Override
        public Mono<Integer> subtract(int minuend, int subtrahend) {
            return Mono.just(minuend - subtrahend);
        }

        @Override
        public Mono<Integer> subtractByName(int a, int b) {
            return Mono.just(a - b);
        }

        @Override
        public Mono<List<Item>> items(Query query) {
            return Flux.range(1, query.limit()).map(i -> new Item(i, query.prefix() + i)).collectList();
        }

        @Override
        public Flux<Integer> count(int n) {
            return Flux.range(0, n);
        }

        @Override
        public void log(String line) {
            logged.add(line);
        }

        @Override
        public Mono<Void> mark(String label) {
            logged.add("mark:" + label);
            return Mono.empty();
        }

        @Override
        public Mono<Void> reset() {
            logged.clear();
            return Mono.empty();
        }

        @Override
        public Mono<String> greet(String name) {
            // a handler reaching the peer it serves: it asks its caller before answering
            return RpcPeer.current().flatMap(client -> client.call("client/title", List.of(name), String.class))
                    .map(title -> "Hello, " + title + " " + name);
        }
    }

    private final CalculatorImpl impl = new CalculatorImpl();
    private final InMemoryTransport.Pair pair = InMemoryTransport.pair();
    private final RpcPeer server = RpcPeer.builder(pair.left()).router(RpcRouter.builder().service(impl).build())
            .connect();
    private final RpcPeer client = RpcPeer.builder(pair.right()).router(RpcRouter.builder()
            .method("client/title", String.class, n -> Mono.just("Dr.")).build()).connect();
    private final Calculator calc = client.proxy(Calculator.class);

    @AfterEach
    void close() {
        client.dispose();
        server.dispose();
    }

    @Test
    void aProxyCallGivesWhatTheStringApiGives() {
        assertThat(calc.subtract(42, 23).block(Duration.ofSeconds(5))).isEqualTo(19);
        assertThat(client.call("calc/subtract", List.of(42, 23), Integer.class).block(Duration.ofSeconds(5)))
                .isEqualTo(19);
        assertThat(calc.subtractByName(42, 23).block(Duration.ofSeconds(5))).isEqualTo(19);
        assertThat(client.call("calc/subtractNamed", Map.of("subtrahend", 23, "minuend", 42), Integer.class)
                .block(Duration.ofSeconds(5))).isEqualTo(19);
        // a server method declared positional also takes its params by name when it knows the names
        assertThat(client.call("calc/subtractNamed", List.of(42, 23), Integer.class).block(Duration.ofSeconds(5)))
                .isEqualTo(19);
    }

    @Test
    void aSingleRecordIsTheParamsObjectAndGenericResultsBind() {
        List<Item> items = calc.items(new Query("n", 3)).block(Duration.ofSeconds(5));
        assertThat(items).containsExactly(new Item(1, "n1"), new Item(2, "n2"), new Item(3, "n3"));
        assertThat(client.call("calc/items", Map.of("prefix", "x", "limit", 1)).block(Duration.ofSeconds(5))
                .toString()).isEqualTo("[{\"id\":1,\"name\":\"x1\"}]");
    }

    @Test
    void aFluxMethodIsAStreamWithBackpressure() {
        StepVerifier.create(calc.count(1000), 10)
                .expectNextCount(10)
                .thenRequest(990)
                .expectNextCount(990)
                .verifyComplete();
    }

    @Test
    void voidMethodsAreNotificationsSentAtOnceAndMonoVoidOnesWhenSubscribed() {
        calc.log("one");
        Mono<Void> mark = calc.mark("two");
        assertThat(calc.subtract(1, 1).block(Duration.ofSeconds(5))).isZero(); // after the notification, in order
        assertThat(impl.logged).containsExactly("one");
        mark.block(Duration.ofSeconds(5));
        assertThat(calc.subtract(1, 1).block(Duration.ofSeconds(5))).isZero();
        assertThat(impl.logged).containsExactly("one", "mark:two");
        assertThat(calc.reset().block(Duration.ofSeconds(5))).isNull();
        assertThat(impl.logged).isEmpty();
    }

    @Test
    void aHandlerCallsItsClientBackMidRequest() {
        assertThat(calc.greet("Who").block(Duration.ofSeconds(5))).isEqualTo("Hello, Dr. Who");
    }

    @Test
    void paramsThatDoNotBindAreInvalidParams() {
        StepVerifier.create(client.call("calc/subtract", List.of("a", 1)))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).code()).isEqualTo(-32602))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(client.call("calc/subtract", List.of(1)))
                .expectErrorSatisfies(e -> assertThat(String.valueOf(((RpcErrorException) e).error().data()))
                        .contains("missing parameter 'subtrahend'"))
                .verify(Duration.ofSeconds(5));
    }

    @RpcService
    interface ReturnsAString {
        String name();
    }

    @RpcService
    interface RawMono {
        @SuppressWarnings("rawtypes")
        Mono raw();
    }

    @RpcService
    interface StreamingNotification {
        @RpcMethod(notification = true)
        Flux<String> events();
    }

    @RpcService
    interface Overloaded {
        Mono<Integer> add(int a, int b);

        Mono<Integer> add(int a, int b, int c);
    }

    @Test
    void badSignaturesFailWhenTheProxyOrRouterIsBuiltNamingTheMethod() {
        assertThatThrownBy(() -> client.proxy(ReturnsAString.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ReturnsAString.name()")
                .hasMessageContaining("Mono<T>");
        assertThatThrownBy(() -> client.proxy(RawMono.class)).hasMessageContaining("RawMono.raw()")
                .hasMessageContaining("type argument");
        assertThatThrownBy(() -> client.proxy(StreamingNotification.class))
                .hasMessageContaining("StreamingNotification.events()");
        assertThatThrownBy(() -> RpcRouter.builder().service(Overloaded.class, new Overloaded() {
            @Override
            public Mono<Integer> add(int a, int b) {
                return Mono.just(a + b);
            }

            @Override
            public Mono<Integer> add(int a, int b, int c) {
                return Mono.just(a + b + c);
            }
        }).build()).hasMessageContaining("Overloaded.add(int, int").hasMessageContaining("distinct @RpcMethod names");
        assertThatThrownBy(() -> RpcRouter.builder().service(new Object()))
                .hasMessageContaining("implements no @RpcService interface");
    }
}
