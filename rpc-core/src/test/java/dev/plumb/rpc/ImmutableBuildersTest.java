package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Builders are immutable like every configuration: a method returns a new builder and leaves its origin alone. */
@Timeout(30)
class ImmutableBuildersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aMethodAddedToADerivedRouterBuilderIsNotInTheOriginal() {
        RpcRouter.Builder base = RpcRouter.builder().method("ping", () -> Mono.just("pong"));
        RpcRouter.Builder more = base.method("echo", Integer.class, Mono::just);
        base.method("ignored", () -> Mono.just(1)); // a statement changes nothing

        RpcRouter fromBase = base.build();
        RpcRouter fromMore = more.build();
        assertThat(fromBase.hasMethod("ping")).isTrue();
        assertThat(fromBase.hasMethod("echo")).isFalse();
        assertThat(fromBase.hasMethod("ignored")).isFalse();
        assertThat(fromMore.hasMethod("ping")).isTrue();
        assertThat(fromMore.hasMethod("echo")).isTrue();
    }

    @Test
    void aRouterBuilderBuildsAgainWithTheSameServices() {
        RpcRouter.Builder builder = RpcRouter.builder().method("ping", () -> Mono.just("pong"));
        assertThat(builder.build().hasMethod("ping")).isTrue();
        assertThat(builder.build().hasMethod("ping")).isTrue(); // building consumed nothing
    }

    @Test
    void aPeerBuilderIsNotChangedByAStatementThatIgnoresTheResult() {
        RpcRouter router = RpcRouter.builder().method("echo", int[].class, p -> Mono.just(p[0])).build();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer.builder(pair.right()).router(router).connect();

        RpcPeer.Builder named = RpcPeer.builder(pair.left()).name("named");
        named.name("ignored"); // a statement changes nothing
        RpcPeer peer = named.connect();
        assertThat(peer.name()).isEqualTo("named");
        StepVerifier.create(peer.call("echo", List.of(7), Integer.class)).expectNext(7).expectComplete()
                .verify(WAIT);
        peer.dispose();
    }
}
