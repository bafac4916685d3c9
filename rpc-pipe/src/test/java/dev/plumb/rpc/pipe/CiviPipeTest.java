package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.testkit.FakeCiviPipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

@Timeout(60)
class CiviPipeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private RunningCoprocess running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.stop().block(WAIT);
        }
    }

    private RpcPeer start(CiviPipe civi, String... args) {
        running = civi.coprocess(PipeTransport.command(FakeCiviPipe.command(args)).name("civi")).start();
        return running.peer().block(WAIT);
    }

    @Test
    void speaksToACiviPipeWithAResponsePrefixNoiseAndRepliesToNotifications() {
        CiviPipe civi = CiviPipe.dialect().responsePrefix("ZZ").option("apiCheckPermissions", false)
                .requirements(PipeRequirements.none().minimumVersion("5.51").requireTrusted());
        RpcPeer peer = start(civi);
        assertThat(running.connection().orElseThrow().welcomeHeader().orElseThrow().version())
                .isEqualTo("5.80.alpha1");
        StepVerifier.create(peer.call("options", Map.of()))
                .assertNext(o -> {
                    assertThat(o.get("responsePrefix").asString()).isEqualTo("ZZ");
                    assertThat(o.get("apiCheckPermissions").asBoolean()).isFalse();
                })
                .verifyComplete();
        StepVerifier.create(peer.notify("echo", List.of(1))).verifyComplete(); // Civi answers it; dropped
        StepVerifier.create(peer.call("echo", Map.of("path", "a/b"), JsonNode.class))
                .assertNext(n -> assertThat(n.get("path").asString()).isEqualTo("a/b"))
                .verifyComplete();
        StepVerifier.create(peer.call("noisy", List.of(), String.class)).expectNext("ok").verifyComplete();
        StepVerifier.create(CiviPipe.login(peer, Map.of("contactId", 202)))
                .assertNext(r -> assertThat(r.get("contactId").asInt()).isEqualTo(202))
                .verifyComplete();
        StepVerifier.create(peer.call("whoami", null)).assertNext(n -> assertThat(n.get("contactId").asInt())
                .isEqualTo(202)).verifyComplete();
    }

    @Test
    void anIdlessErrorGoesToTheSingleCallInFlight() {
        RpcPeer peer = start(CiviPipe.dialect());
        StepVerifier.create(peer.call("idless", List.of()))
                .expectErrorSatisfies(e -> assertThat(((RpcErrorException) e).error().code())
                        .isEqualTo(RpcError.PARSE_ERROR))
                .verify(WAIT);
        StepVerifier.create(peer.call("echo", List.of(2))).expectNextCount(1).verifyComplete();
    }

    @Test
    void requestsGoOneAtATimeEvenWhenCallersPipeline() {
        RpcPeer peer = start(CiviPipe.dialect());
        StepVerifier.create(Flux.range(0, 20).flatMap(i -> peer.call("sleep", List.of(5), Integer.class)).count())
                .expectNext(20L)
                .verifyComplete();
        StepVerifier.create(peer.call("pipelined", null, Boolean.class)).expectNext(false).verifyComplete();
    }

    @Test
    void aLineOverTheBufferSizeIsNeverSent() {
        RpcPeer peer = start(CiviPipe.dialect().bufferSize(1000));
        StepVerifier.create(peer.call("echo", List.of("x".repeat(2000))))
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(RpcException.class)
                        .hasMessageContaining("over the peer's limit of 999")
                        .hasMessageContaining("nothing was sent"))
                .verify(WAIT);
        StepVerifier.create(peer.call("echo", List.of("x".repeat(900)), JsonNode.class))
                .assertNext(n -> assertThat(n.get(0).asString()).hasSize(900))
                .verifyComplete();
    }

    @Test
    void anUntrustedPipeIsRefusedWhenTrustIsRequired() {
        CiviPipe civi = CiviPipe.dialect().requirements(PipeRequirements.none().requireTrusted());
        RunningCoprocess c = civi.coprocess(PipeTransport.command(FakeCiviPipe.command("--flags", "vul"))).start();
        StepVerifier.create(c.peer())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("trusted channel is required"))
                .verify(WAIT);
        c.stop().block(WAIT);
    }
}
