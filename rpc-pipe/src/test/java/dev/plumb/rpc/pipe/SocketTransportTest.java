package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.testkit.ContractServer;
import dev.plumb.rpc.test.TransportContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

/** The contract over TCP, a Unix socket and a pipe to a child JVM; and a server calling its client over TCP. */
@Timeout(120)
class SocketTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverTcp implements TransportContract {
        private DisposableServer server;

        @BeforeAll
        void bind() {
            server = TcpRpcServer.create().host("127.0.0.1").port(0).router(TransportContract.serverRouter())
                    .bind().block(WAIT);
        }

        @AfterAll
        void unbind() {
            server.disposeNow(WAIT);
        }

        @Override
        public RpcConnection connectToContractServer() {
            return TcpTransport.connect("127.0.0.1", server.port()).block(WAIT);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OverAUnixSocket implements TransportContract {
        private DisposableServer server;
        private Path dir;

        @BeforeAll
        void bind() {
            try {
                dir = Files.createTempDirectory("plumb-uds");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = TcpRpcServer.create().unixSocket(dir.resolve("plumb.sock"))
                    .router(TransportContract.serverRouter())
                    .bind().block(WAIT);
        }

        @AfterAll
        void unbind() throws IOException {
            server.disposeNow(WAIT);
            Files.deleteIfExists(dir.resolve("plumb.sock"));
            Files.deleteIfExists(dir);
        }

        @Override
        public RpcConnection connectToContractServer() {
            return TcpTransport.unixSocket(dir.resolve("plumb.sock")).connect().block(WAIT);
        }
    }

    @Nested
    class OverAPipe implements TransportContract {
        @Override
        public RpcConnection connectToContractServer() {
            return PipeTransport.command(ContractServer.command()).name("contract").connect().block(WAIT);
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
            Sinks.One<String> heard = Sinks.one();
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
