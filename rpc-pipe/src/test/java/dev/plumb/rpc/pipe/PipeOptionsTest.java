package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.LifecycleEvent.Type;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import dev.plumb.rpc.pipe.testkit.FakeCiviPipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The options asked for by coworker: new session, immediate kill, optional welcome header, reply prefix. */
@Timeout(60)
class PipeOptionsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Long graceful-stop waits: a kill that went through them would not finish within {@link #WAIT}. */
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String HEADER = "{\"Civi::pipe\":{\"v\":\"5.80\",\"t\":\"trusted\",\"l\":[\"login\"]}}";
    /** {@link Scripts#PID_SERVER} that also ignores SIGTERM and, after EOF on stdin, goes on running. */
    private static final String STUBBORN_PID_SERVER = "trap '' TERM\n" + Scripts.PID_SERVER
            + "\nwhile :; do sleep 0.05; done";

    /** Field {@code index} (1-based, as in proc(5)) of {@code /proc/<pid>/stat}. */
    private static long statField(long pid, int index) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[index - 3]);
    }

    private static boolean exitsWithin(long pid, Duration wait) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------ new session

    @Test
    void aNewSessionChildLeadsItsOwnSessionAndProcessGroup() throws Exception {
        long mySession = statField(ProcessHandle.current().pid(), 6);
        PipeConnection separate = PipeTransport.shell(Scripts.PID_SERVER).newSession(true).connect().block(WAIT);
        PipeConnection same = PipeTransport.shell(Scripts.PID_SERVER).connect().block(WAIT);
        try {
            long pid = separate.pid();
            RpcPeer peer = RpcPeer.builder(separate).connect();
            // once the shell answers, setsid has done its work (and exec'd the command in place: same pid)
            StepVerifier.create(peer.call("pid", List.of(), Long.class)).expectNext(pid).verifyComplete();
            assertThat(statField(pid, 6)).as("session").isEqualTo(pid).isNotEqualTo(mySession);
            assertThat(statField(pid, 5)).as("process group").isEqualTo(pid);
            assertThat(statField(same.pid(), 6)).as("session without the option").isEqualTo(mySession);
            StepVerifier.create(separate.stop(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                    .expectNext(0) // stdin closed: the loop ends
                    .verifyComplete();
        } finally {
            separate.dispose();
            same.dispose();
        }
    }

    // ------------------------------------------------------------------------------------------ kill

    @Test
    void killingACoprocessSigkillsItsChildAtOnceAndDoesNotRestart() throws Exception {
        RunningCoprocess c = Coprocess.of(PipeTransport.shell(STUBBORN_PID_SERVER).name("stubborn"))
                .restart(RestartPolicy.unlimited())
                .restartDelay(Duration.ofMillis(20))
                .stopTimeouts(LONG, LONG)
                .start();
        long pid = c.call("pid", List.of(), Long.class).block(WAIT);
        c.kill();
        assertThat(exitsWithin(pid, WAIT)).isTrue();
        StepVerifier.create(c.stop()).expectComplete().verify(WAIT);
        List<LifecycleEvent> events = c.events().collectList().block(WAIT);
        assertThat(events).extracting(LifecycleEvent::type)
                .containsExactly(Type.STARTING, Type.READY, Type.EXITED, Type.STOPPED);
        assertThat(events.get(2).exitCode()).hasValue(137); // 128 + SIGKILL
        StepVerifier.create(c.call("pid", List.of()))
                .expectError(RpcConnectionClosedException.class)
                .verify(WAIT);
    }

    @Test
    void killingAPoolSigkillsBusyIdleAndRetiringPipesAndFailsQueuedWork() throws Exception {
        PipePool pool = PipePool.builder(PipeTransport.shell(STUBBORN_PID_SERVER).name("stubborn-pool"))
                .size(2)
                .maxRequests(1)
                .stopTimeouts(LONG, LONG)
                .build();
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        // one pipe is retired after its use and ignores EOF and SIGTERM during its (long) graceful stop
        pids.add(pool.withPipe("a", p -> p.call("pid", List.of(), Long.class)).block(WAIT));
        // two busy pipes whose work waits until their pipe closes, and one piece of work queued behind them
        Flux<Long> busy = Flux.range(0, 2)
                .flatMap(i -> pool.withPipe("b", p -> p.call("pid", List.of(), Long.class)
                        .doOnNext(pids::add)
                        .flatMap(pid -> p.onClose().onErrorResume(e -> Mono.empty()).thenReturn(pid))))
                .onErrorResume(e -> Flux.empty());
        Mono<Long> queued = pool.withPipe("b", p -> p.call("pid", List.of(), Long.class));
        busy.subscribe();
        StepVerifier.create(pool.statsUpdates().filter(s -> s.busy() == 2).take(1)).expectNextCount(1)
                .verifyComplete();
        StepVerifier queuedFails = StepVerifier.create(queued)
                .expectError(RpcConnectionClosedException.class)
                .verifyLater();
        StepVerifier.create(pool.statsUpdates().filter(s -> s.waiting() == 1).take(1)).expectNextCount(1)
                .verifyComplete();
        for (int i = 0; i < 400 && pids.size() < 3; i++) {
            Thread.sleep(25); // the busy pipes' pid calls are answered
        }
        assertThat(pids).hasSize(3);
        pool.kill();
        queuedFails.verify(WAIT);
        for (long pid : pids) {
            assertThat(exitsWithin(pid, WAIT)).as("pipe %d exited", pid).isTrue();
        }
        StepVerifier.create(pool.close()).expectComplete().verify(WAIT);
        StepVerifier.create(pool.withPipe("c", p -> p.call("pid", List.of())))
                .expectError(RpcConnectionClosedException.class)
                .verify(WAIT);
    }

    // ------------------------------------------------------------------------------------------ optional header

    @Test
    void aDetectedWelcomeHeaderIsTakenAsTheHeader() {
        PipeConnection c = PipeTransport.shell("echo 'PHP Notice: noise'; echo '" + HEADER + "'; cat")
                .detectWelcomeHeader()
                .connect().block(WAIT);
        c.send(Flux.just(PipeTransportTest.bytes("[1]"))).subscribe();
        StepVerifier.create(c.receive().map(PipeTransportTest::text)) // noise is left to the peer, as usual
                .expectNext("PHP Notice: noise", "[1]")
                .verifyComplete();
        assertThat(c.welcomeHeader()).hasValueSatisfying(h -> assertThat(h.version()).isEqualTo("5.80"));
    }

    @Test
    void withoutAHeaderTheFirstLineIsAMessage() {
        PipeConnection c = PipeTransport.command("cat").detectWelcomeHeader().connect().block(WAIT);
        c.send(Flux.just(PipeTransportTest.bytes("{\"jsonrpc\":\"2.0\",\"result\":{\"Civi::pipe\":1},\"id\":1}"),
                PipeTransportTest.bytes("[2]"))).subscribe();
        StepVerifier.create(c.receive().map(PipeTransportTest::text))
                .expectNext("{\"jsonrpc\":\"2.0\",\"result\":{\"Civi::pipe\":1},\"id\":1}", "[2]")
                .verifyComplete();
        assertThat(c.welcomeHeader()).isEmpty();
    }

    @Test
    void theCiviDialectWithAnOptionalHeaderTalksToPipesWithAndWithoutOne() {
        CiviPipe civi = CiviPipe.dialect().headerOptional(true);
        for (List<String> command : List.of(FakeCiviPipe.command(), EchoServer.command())) {
            RunningCoprocess c = civi.coprocess(PipeTransport.command(command).name("maybe-civi")).start();
            try {
                StepVerifier.create(c.call("echo", List.of(1, "two"), JsonNode.class))
                        .assertNext(n -> assertThat(n.toString()).isEqualTo("[1,\"two\"]"))
                        .verifyComplete();
                boolean civiLike = command.get(command.size() - 1).equals(FakeCiviPipe.class.getName());
                assertThat(c.connection().orElseThrow().welcomeHeader().isPresent()).isEqualTo(civiLike);
            } finally {
                c.stop().block(WAIT);
            }
        }
        assertThat(civi.requirements(PipeRequirements.none().requireTrusted())
                .transport(PipeTransport.command("cat")).expectsWelcomeHeader()).isTrue();
    }

    // ------------------------------------------------------------------------------------------ reply prefix

    @Test
    void aStdioServerWritesItsResponsePrefixBeforeEveryReplyButNotBeforeTheHeader() {
        PipeConnection c = PipeTransport.command(EchoServer.command("--prefix", "ZZ", "--header", HEADER))
                .welcomeHeader(true).name("prefixed").connect().block(WAIT);
        c.send(Flux.just(PipeTransportTest.bytes("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[7],\"id\":1}"),
                PipeTransportTest.bytes("nonsense"))).subscribe();
        StepVerifier.create(c.receive().map(PipeTransportTest::text).collectList()) // replies in any order
                .assertNext(lines -> assertThat(lines).hasSize(2)
                        .contains("ZZ{\"jsonrpc\":\"2.0\",\"result\":[7],\"id\":1}")
                        .anySatisfy(line -> assertThat(line).startsWith("ZZ{").contains("-32700")))
                .verifyComplete();
        assertThat(c.welcomeHeader()).isPresent();
    }

    @Test
    void aPrefixSetByAHandlerAppliesFromItsOwnReplyOnAndTheCiviDialectStripsIt() {
        RunningCoprocess c = CiviPipe.dialect().headerOptional(true).responsePrefix("@@")
                .coprocess(PipeTransport.command(EchoServer.command()).name("prefix-by-options"))
                .start();
        try {
            // the dialect's initialiser sent options {"responsePrefix":"@@"}; had that reply not been prefixed,
            // or the prefix not stripped, these calls would fail
            StepVerifier.create(c.call("echo", Map.of("a", 1), JsonNode.class))
                    .assertNext(n -> assertThat(n.toString()).isEqualTo("{\"a\":1}"))
                    .verifyComplete();
            StepVerifier.create(c.call("options", Map.of("responsePrefix", "@@"), JsonNode.class))
                    .assertNext(n -> assertThat(n.get("responsePrefix").asString()).isEqualTo("@@"))
                    .verifyComplete();
        } finally {
            c.stop().block(WAIT);
        }
    }
}
