package dev.plumb.rpc.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** The eager subscription behind synchronous HTTP answers: ready outcomes at once, late ones relayed. */
@Timeout(30)
class EagerReplyTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aValueThatIsThereIsReadyAtOnce() {
        EagerReply<String> r = EagerReply.subscribe(Mono.defer(() -> Mono.just("x")), Context.empty());
        assertThat(r.isDone()).isTrue();
        assertThat(r.value()).isEqualTo("x");
        assertThat(r.error()).isNull();
    }

    @Test
    void emptyAndErrorAreReadyAtOnceToo() {
        EagerReply<String> empty = EagerReply.subscribe(Mono.empty(), Context.empty());
        assertThat(empty.isDone()).isTrue();
        assertThat(empty.value()).isNull();
        EagerReply<String> failed = EagerReply.subscribe(Mono.error(new IllegalStateException("boom")),
                Context.empty());
        assertThat(failed.isDone()).isTrue();
        assertThat(failed.error()).hasMessage("boom");
    }

    @Test
    void theSourceSeesTheGivenContext() {
        EagerReply<String> r = EagerReply.subscribe(Mono.deferContextual(c -> Mono.just(c.<String>get("who"))),
                Context.of("who", "carol"));
        assertThat(r.value()).isEqualTo("carol");
    }

    @Test
    void aLateValueIsRelayed() {
        EagerReply<String> r = EagerReply.subscribe(Mono.just("late").delayElement(Duration.ofMillis(50)),
                Context.empty());
        assertThat(r.isDone()).isFalse();
        StepVerifier.create(r.later()).expectNext("late").expectComplete().verify(WAIT);
        EagerReply<String> e = EagerReply.subscribe(Mono.<String>empty().delaySubscription(Duration.ofMillis(50)),
                Context.empty());
        StepVerifier.create(e.later()).expectComplete().verify(WAIT);
    }

    @Test
    void cancellingTheRelayCancelsTheSource() {
        AtomicBoolean cancelled = new AtomicBoolean();
        EagerReply<String> r = EagerReply.subscribe(Mono.<String>never().doOnCancel(() -> cancelled.set(true)),
                Context.empty());
        StepVerifier.create(r.later()).thenCancel().verify(WAIT);
        assertThat(cancelled).isTrue();
    }
}
