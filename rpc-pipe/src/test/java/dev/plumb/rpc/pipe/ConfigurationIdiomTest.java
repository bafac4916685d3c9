package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcException;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** What the one configuration idiom promises a user of the pipe module: copies, composition, a stop. */
@Timeout(60)
class ConfigurationIdiomTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aSetterReturnsACopyAndLeavesTheOriginalAsItWas() {
        PipeTransport base = PipeTransport.command("cat");
        PipeTransport named = base.name("other").welcomeHeader(true).newSession(true);
        assertThat(base.name()).isEqualTo("cat");
        assertThat(base.expectsWelcomeHeader()).isFalse();
        assertThat(base.startsNewSession()).isFalse();
        assertThat(named.name()).isEqualTo("other");
        assertThat(named.expectsWelcomeHeader()).isTrue();
        assertThat(named.startsNewSession()).isTrue();
    }

    @Test
    void anInvalidValueThrowsAndLeavesNothingBehind() {
        PipePool.Builder pool = PipePool.builder(PipeTransport.command("cat"));
        assertThatThrownBy(() -> pool.size(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Coprocess.of(PipeTransport.command("cat")).backoff(0.5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void peerCustomizersOfAStdioServerComposeInTheOrderGiven() throws IOException {
        PipedOutputStream clientWrites = new PipedOutputStream();
        PipedInputStream serverReads = new PipedInputStream(clientWrites);
        AtomicReference<RpcPeer> connected = new AtomicReference<>();
        Disposable server = StdioServer.create()
                .router(EchoServer.router())
                .streams(serverReads, new ByteArrayOutputStream())
                .peer(b -> b.maxOutboundFrameBytes(100).name("first"))
                .peer(b -> b.name("second"))
                .onConnect(connected::set)
                .run()
                .subscribe();
        try {
            RpcPeer peer = connected.get();
            assertThat(peer.name()).isEqualTo("second");
            // the first customizer's limit is still there: a call larger than 100 bytes fails without being sent
            StepVerifier.create(peer.notify("echo", List.of("x".repeat(200))))
                    .expectErrorMatches(e -> e instanceof RpcException
                            && e.getMessage().contains("over the peer's limit"))
                    .verify(WAIT);
        } finally {
            server.dispose();
            clientWrites.close();
        }
    }

    @Test
    void cancellingRunStopsTheStdioServer() throws IOException {
        PipedOutputStream clientWrites = new PipedOutputStream();
        PipedInputStream serverReads = new PipedInputStream(clientWrites);
        AtomicReference<RpcPeer> connected = new AtomicReference<>();
        Sinks.Empty<Void> finished = Sinks.empty();
        Disposable server = StdioServer.create()
                .router(EchoServer.router())
                .streams(serverReads, new ByteArrayOutputStream())
                .onConnect(connected::set)
                .run()
                .subscribe(null, finished::tryEmitError, finished::tryEmitEmpty);
        RpcPeer peer = connected.get();
        assertThat(peer.isDisposed()).isFalse();
        server.dispose();
        StepVerifier.create(peer.onClose()).verifyComplete();
        assertThat(peer.isDisposed()).isTrue();
        StepVerifier.create(peer.call("echo", List.of(1)))
                .expectError(RpcConnectionClosedException.class)
                .verify(WAIT);
        clientWrites.close(); // end of input lets the reading thread end
    }

    @Test
    void aCoprocessPeerCustomizerAddedAfterTheCiviDialectKeepsTheDialect() {
        RunningCoprocess child = CiviPipe.dialect().headerOptional(true)
                .coprocess(PipeTransport.command(EchoServer.command()).name("echo"))
                .peer(b -> b.timeout(Duration.ofSeconds(10)))
                .start();
        try {
            RpcPeer peer = child.peer().block(WAIT);
            // the dialect's maxOutboundFrameBytes (bufferSize - 1) still applies after the second customizer
            StepVerifier.create(peer.notify("echo", List.of("x".repeat(CiviPipe.DEFAULT_BUFFER_SIZE))))
                    .expectErrorMatches(e -> e instanceof RpcException
                            && e.getMessage().contains("over the peer's limit"))
                    .verify(WAIT);
        } finally {
            child.stop().block(WAIT);
        }
    }
}
