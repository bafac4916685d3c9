package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

@Timeout(30)
class PipeTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void framesWrittenToCatComeBackInOrder() {
        PipeConnection cat = PipeTransport.command("cat").connect().block(WAIT);
        Flux<String> echoed = cat.receive().map(PipeTransportTest::text);
        cat.send(Flux.range(0, 1000).map(i -> bytes("{\"n\":" + i + "}"))).subscribe();
        StepVerifier.create(echoed.take(1000).collectList())
                .assertNext(list -> {
                    assertThat(list).hasSize(1000);
                    assertThat(list.get(0)).isEqualTo("{\"n\":0}");
                    assertThat(list.get(999)).isEqualTo("{\"n\":999}");
                })
                .verifyComplete();
        cat.dispose();
    }

    @Test
    void closingStdinCompletesReceive() {
        PipeConnection cat = PipeTransport.command("cat").connect().block(WAIT);
        cat.send(Flux.just(bytes("{\"a\":1}"))).subscribe(); // completing the publisher closes stdin
        StepVerifier.create(cat.receive().map(PipeTransportTest::text))
                .expectNext("{\"a\":1}")
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(cat.onClose()).expectComplete().verify(WAIT);
        assertThat(cat.exitCode()).hasValue(0);
    }

    @Test
    void aChildThatExitsFailsReceiveWithExitCodeAndStderrTail() {
        PipeConnection dying = PipeTransport.shell("echo 'fatal: no database' >&2; exit 3").connect().block(WAIT);
        StepVerifier.create(dying.receive())
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(PipeClosedException.class);
                    PipeClosedException closed = (PipeClosedException) e;
                    assertThat(closed.exitCode()).isEqualTo(3);
                    assertThat(closed.stderrTail()).containsExactly("fatal: no database");
                    assertThat(closed.getMessage()).contains("exited with code 3").contains("fatal: no database");
                })
                .verify(WAIT);
    }

    @Test
    void environmentAndDirectoryReachTheChild(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("marker.txt"), "here");
        PipeConnection c = PipeTransport.shell("printf '{\"v\":\"%s\",\"f\":\"%s\"}\\n' \"$PLUMB_X\" \"$(cat marker.txt)\"")
                .environment(Map.of("PLUMB_X", "42"))
                .directory(dir)
                .connect().block(WAIT);
        StepVerifier.create(c.receive().map(PipeTransportTest::text).onErrorResume(PipeClosedException.class,
                        e -> Flux.empty()))
                .expectNext("{\"v\":\"42\",\"f\":\"here\"}")
                .verifyComplete();
    }

    @Test
    void connectIsReadyAfterTheWelcomeHeaderAndParsesIt() {
        String header = "{\"Civi::pipe\":{\"v\":\"5.80.alpha1\",\"j\":[\"jsonrpc-2.0\"],\"t\":\"trusted\",\"l\":[\"login\"],\"x\":7}}";
        PipeConnection c = PipeTransport.shell("echo 'PHP Notice: noise'; echo '" + header + "'; cat")
                .welcomeHeader(true)
                .connect().block(WAIT);
        WelcomeHeader h = c.welcomeHeader().orElseThrow();
        assertThat(h.version()).isEqualTo("5.80.alpha1");
        assertThat(h.trusted()).isTrue();
        assertThat(h.login()).isTrue();
        assertThat(h.flavours()).containsExactly("jsonrpc-2.0");
        assertThat(h.properties()).containsOnlyKeys("v", "j", "t", "l", "x");
        assertThat(h.property("x").orElseThrow().asInt()).isEqualTo(7);
        c.send(Flux.just(bytes("[1]"))).subscribe();
        StepVerifier.create(c.receive().map(PipeTransportTest::text)).expectNext("[1]").verifyComplete();
    }

    @Test
    void unmetRequirementsFailTheConnectClearly() {
        String header = "{\"Civi::pipe\":{\"v\":\"5.47.3\",\"u\":\"untrusted\",\"l\":[\"nologin\"]}}";
        PipeTransport pipe = PipeTransport.shell("echo '" + header + "'; cat");
        StepVerifier.create(pipe.requirements(PipeRequirements.none().minimumVersion("5.51")).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PipeStartException.class)
                        .hasMessageContaining("5.51 or later required").hasMessageContaining("5.47.3"))
                .verify(WAIT);
        StepVerifier.create(pipe.requirements(PipeRequirements.none().requireTrusted()).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PipeStartException.class)
                        .hasMessageContaining("trusted channel is required").hasMessageContaining("untrusted"))
                .verify(WAIT);
        StepVerifier.create(pipe.requirements(PipeRequirements.none().minimumVersion("5.47.alpha1")).connect()
                        .doOnNext(PipeConnection::dispose))
                .expectNextCount(1)
                .verifyComplete();
    }

    @Test
    void aChildThatDiesBeforeItsHeaderFailsTheConnect() {
        StepVerifier.create(PipeTransport.shell("echo 'cannot bootstrap' >&2; exit 255").welcomeHeader(true).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PipeStartException.class)
                        .hasMessageContaining("255").hasMessageContaining("cannot bootstrap"))
                .verify(WAIT);
        StepVerifier.create(PipeTransport.shell("echo '{\"hello\":1}'; cat").welcomeHeader(true).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PipeStartException.class)
                        .hasMessageContaining("expected a welcome header"))
                .verify(WAIT);
    }

    @Test
    void aMissingCommandFailsTheConnect() {
        StepVerifier.create(PipeTransport.command("/nonexistent/plumb-no-such-binary").connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PipeStartException.class)
                        .hasMessageContaining("cannot start"))
                .verify(WAIT);
    }

    @Test
    void stopEscalatesToKillWhenTheChildIgnoresTerm() {
        PipeConnection stubborn = PipeTransport.shell("trap '' TERM; echo '{\"ready\":1}'; while :; do sleep 0.05; done")
                .connect().block(WAIT);
        Sinks.Many<String> seen = Sinks.many().replay().all();
        stubborn.receive().map(PipeTransportTest::text).subscribe(seen::tryEmitNext, e -> { }, () -> { });
        StepVerifier.create(seen.asFlux().take(1)).expectNext("{\"ready\":1}").verifyComplete();
        StepVerifier.create(stubborn.stop(Duration.ofMillis(200), Duration.ofMillis(300)))
                .expectNext(137) // 128 + SIGKILL
                .verifyComplete();
        assertThat(stubborn.isAlive()).isFalse();
    }

    @Test
    void stopEndsAChildThatHonoursTerm() {
        PipeConnection sleeper = PipeTransport.command("sleep", "60").connect().block(WAIT);
        StepVerifier.create(sleeper.stop(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .expectNext(143) // 128 + SIGTERM
                .verifyComplete();
    }

    @Test
    void aSlowConsumerIsNeverOverrun() {
        // the child writes 20,000 lines at once; we take them 10 at a time
        PipeConnection seq = PipeTransport.shell("seq 1 20000").connect().block(WAIT);
        StepVerifier.create(seq.receive().map(PipeTransportTest::text), 10)
                .expectNextCount(10)
                .thenRequest(19990)
                .expectNextCount(19990)
                .expectErrorSatisfies(e -> assertThat(((PipeClosedException) e).exitCode()).isZero())
                .verify(WAIT);
    }

    @Test
    void receiveMayBeSubscribedToOnlyOnceAndASecondTryLeavesTheFirstReceiving() {
        PipeConnection cat = PipeTransport.command("cat").connect().block(WAIT);
        List<String> first = new CopyOnWriteArrayList<>();
        cat.receive().map(PipeTransportTest::text).subscribe(first::add);
        StepVerifier.create(cat.receive()).expectError(IllegalStateException.class).verify(WAIT);
        cat.send(Flux.just(bytes("{\"a\":1}"))).subscribe(); // completing the publisher closes stdin
        StepVerifier.create(cat.onClose()).expectComplete().verify(WAIT);
        assertThat(first).containsExactly("{\"a\":1}");
    }
}
