package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

@Timeout(60)
class SocketTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static void roundTrips(RpcConnection connection) {
        RpcPeer peer = RpcPeer.builder(connection)
                .router(RpcRouter.builder().method("hello", String[].class, n -> Mono.just("hi " + n[0])).build())
                .connect();
        try {
            StepVerifier.create(Flux.range(0, 1000)
                            .flatMap(i -> peer.call("echo", List.of(i), JsonNode.class).map(n -> n.get(0).asInt()),
                                    64)
                            .reduce(0L, Long::sum))
                    .expectNext(999L * 1000 / 2)
                    .verifyComplete();
            StepVerifier.create(peer.stream("ticks", List.of(500), Integer.class).limitRate(8).count())
                    .expectNext(500L)
                    .verifyComplete();
            StepVerifier.create(peer.call("echo", List.of("x".repeat(1_000_000)), JsonNode.class))
                    .assertNext(n -> assertThat(n.get(0).asString()).hasSize(1_000_000))
                    .verifyComplete();
        } finally {
            peer.dispose();
        }
    }

    @Test
    void callsRoundTripOverTcp() {
        DisposableServer server = TcpRpcServer.create().host("127.0.0.1").port(0).router(EchoServer.router())
                .bind().block(WAIT);
        try {
            roundTrips(TcpTransport.connect("127.0.0.1", server.port()).block(WAIT));
        } finally {
            server.disposeNow(WAIT);
        }
    }

    @Test
    void callsRoundTripOverAUnixSocket(@TempDir Path dir) {
        Path socket = dir.resolve("plumb.sock");
        DisposableServer server = TcpRpcServer.create().unixSocket(socket).router(EchoServer.router())
                .bind().block(WAIT);
        try {
            roundTrips(TcpTransport.unixSocket(socket).connect().block(WAIT));
        } finally {
            server.disposeNow(WAIT);
        }
    }

    @Test
    void theServerCanCallItsClient() {
        DisposableServer server = TcpRpcServer.create()
                .onConnect(peer -> peer.call("hello", List.of("server"), String.class)
                        .flatMap(answer -> peer.notify("heard", List.of(answer)))
                        .subscribe())
                .bind().block(WAIT);
        try {
            reactor.core.publisher.Sinks.One<String> heard = reactor.core.publisher.Sinks.one();
            RpcPeer client = RpcPeer.builder(TcpTransport.connect("127.0.0.1", server.port()).block(WAIT))
                    .router(RpcRouter.builder()
                            .method("hello", String[].class, n -> Mono.just("hi " + n[0]))
                            .method("heard", String[].class, a -> {
                                heard.tryEmitValue(a[0]);
                                return Mono.empty();
                            })
                            .build())
                    .connect();
            StepVerifier.create(heard.asMono()).expectNext("hi server").verifyComplete();
            client.dispose();
        } finally {
            server.disposeNow(WAIT);
        }
    }
}
