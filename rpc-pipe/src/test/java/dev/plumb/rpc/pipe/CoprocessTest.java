package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.pipe.LifecycleEvent.Type;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.test.StepVerifier;

@Timeout(60)
class CoprocessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Coprocess pidServer() {
        return Coprocess.of(PipeTransport.shell(Scripts.PID_SERVER).name("pidserver"))
                .restartDelay(Duration.ofMillis(20));
    }

    private static List<Type> types(RunningCoprocess c) {
        return c.events().map(LifecycleEvent::type).take(Duration.ofMillis(200)).collectList().block(WAIT);
    }

    @Test
    void underUnlimitedRestartsAnInFlightCallFailsWithTheExitAndTheNextGoesToANewChild() {
        RunningCoprocess c = pidServer().restart(RestartPolicy.unlimited()).start();
        try {
            long first = c.call("pid", List.of(), Long.class).block(WAIT);
            StepVerifier.create(c.call("die", List.of()))
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(PipeClosedException.class);
                        assertThat(((PipeClosedException) e).exitCode()).isEqualTo(3);
                        assertThat(((PipeClosedException) e).stderrTail()).containsExactly("dying on request 2");
                    })
                    .verify(WAIT);
            long second = c.call("pid", List.of(), Long.class).block(WAIT);
            assertThat(second).isNotEqualTo(first);
            c.call("die", List.of()).onErrorResume(e -> reactor.core.publisher.Mono.empty()).block(WAIT);
            long third = c.call("pid", List.of(), Long.class).block(WAIT);
            assertThat(third).isNotEqualTo(second);
            assertThat(c.generation()).isEqualTo(3);
        } finally {
            c.stop().block(WAIT);
        }
        List<LifecycleEvent> events = c.events().collectList().block(WAIT);
        assertThat(events).extracting(LifecycleEvent::type).containsExactly(
                Type.STARTING, Type.READY, Type.EXITED, Type.RESTARTING,
                Type.STARTING, Type.READY, Type.EXITED, Type.RESTARTING,
                Type.STARTING, Type.READY, Type.EXITED, Type.STOPPED);
        assertThat(events.get(2).exitCode()).hasValue(3);
    }

    @Test
    void underNeverTheCoprocessIsOverWhenItsChildDies() {
        RunningCoprocess c = pidServer().restart(RestartPolicy.never()).start();
        StepVerifier.create(c.call("die", List.of())).expectError(PipeClosedException.class).verify(WAIT);
        StepVerifier.create(c.call("pid", List.of()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RpcConnectionClosedException.class)
                        .hasMessageContaining("exited with code 3"))
                .verify(WAIT);
        StepVerifier.create(c.events().map(LifecycleEvent::type))
                .expectNext(Type.STARTING, Type.READY, Type.EXITED, Type.STOPPED)
                .verifyComplete();
    }

    @Test
    void underTimesNItRestartsNTimesThenGivesUp() {
        RunningCoprocess c = pidServer().restart(RestartPolicy.times(1)).start();
        StepVerifier.create(c.call("die", List.of())).expectError(PipeClosedException.class).verify(WAIT);
        assertThat(c.call("pid", List.of(), Long.class).block(WAIT)).isPositive();
        StepVerifier.create(c.call("die", List.of())).expectError(PipeClosedException.class).verify(WAIT);
        StepVerifier.create(c.peer()).expectError(RpcConnectionClosedException.class).verify(WAIT);
        StepVerifier.create(c.events().map(LifecycleEvent::type).filter(t -> t == Type.STARTING).count())
                .expectNext(2L)
                .verifyComplete();
    }

    @Test
    void aChildThatNeverStartsFailsWaitingCallsOnceThePolicyIsExhausted() {
        RunningCoprocess c = Coprocess.of(PipeTransport.shell("echo 'no config' >&2; exit 7").welcomeHeader(true))
                .restart(RestartPolicy.times(2))
                .restartDelay(Duration.ofMillis(10))
                .backoff(2.0, Duration.ofMillis(40))
                .start();
        StepVerifier.create(c.call("pid", List.of()))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("no config"))
                .verify(WAIT);
        List<LifecycleEvent> events = c.events().collectList().block(WAIT);
        assertThat(events).extracting(LifecycleEvent::type).containsExactly(
                Type.STARTING, Type.EXITED, Type.RESTARTING, Type.STARTING, Type.EXITED, Type.RESTARTING,
                Type.STARTING, Type.EXITED, Type.STOPPED);
        assertThat(events.get(1).exitCode()).hasValue(7);
        assertThat(events.get(2).detail()).startsWith("in 10 ms");
        assertThat(events.get(5).detail()).startsWith("in 20 ms");
    }

    @Test
    void aChildThatIsNotReadyInTimeIsStoppedAndCountsAsAFailedStart() {
        RunningCoprocess c = Coprocess.of(PipeTransport.command("sleep", "30").welcomeHeader(true))
                .readinessTimeout(Duration.ofMillis(300))
                .stopTimeouts(Duration.ofMillis(50), Duration.ofMillis(500))
                .start();
        StepVerifier.create(c.peer()).expectError(RpcConnectionClosedException.class).verify(WAIT);
        assertThat(c.events().collectList().block(WAIT))
                .anySatisfy(e -> assertThat(e.detail()).contains("not ready within 300 ms"));
    }

    @Test
    void stopEscalatesFromClosingStdinToTermToKill() {
        RunningCoprocess c = Coprocess.of(PipeTransport.shell(Scripts.STUBBORN).name("stubborn"))
                .stopTimeouts(Duration.ofMillis(200), Duration.ofMillis(200))
                .start();
        c.peer().block(WAIT);
        long pid = c.connection().orElseThrow().pid();
        c.stop().block(WAIT);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        List<LifecycleEvent> events = c.events().collectList().block(WAIT);
        assertThat(events).extracting(LifecycleEvent::type)
                .containsExactly(Type.STARTING, Type.READY, Type.EXITED, Type.STOPPED);
        assertThat(events.get(2).exitCode()).hasValue(137);
    }

    @Test
    void aJavaChildIsSupervisedToo() {
        RunningCoprocess c = Coprocess.of(PipeTransport.command(EchoServer.command()).name("echo"))
                .restart(RestartPolicy.unlimited())
                .restartDelay(Duration.ZERO)
                .start();
        try {
            long first = c.call("pid", null, Long.class).block(WAIT);
            StepVerifier.create(c.call("die", List.of(9)))
                    .expectErrorSatisfies(e -> assertThat(((PipeClosedException) e).stderrTail())
                            .contains("dying with code 9"))
                    .verify(WAIT);
            assertThat(c.call("pid", null, Long.class).block(WAIT)).isNotEqualTo(first);
        } finally {
            c.stop().block(WAIT);
        }
    }
}
