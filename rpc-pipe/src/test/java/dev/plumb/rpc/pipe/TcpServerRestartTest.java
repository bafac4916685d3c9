package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.testkit.ChildJvm;
import dev.plumb.rpc.pipe.testkit.TcpServerMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.util.retry.Retry;

/**
 * Chaos: a TCP server restarted under its client. Plumb does not reconnect by itself (a call may not be safe to
 * resend): when the server process dies, a call in flight fails with {@link RpcConnectionClosedException}, the old
 * peer refuses new calls the same way with nothing left pending, and the client gets back by connecting again,
 * retrying while the server is down (the recipe in docs/pipes.md). Disposing a {@link TcpRpcServer} in process
 * stops it accepting; the connections it already has go on until they close.
 */
@Timeout(60)
class TcpServerRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ChildJvm server(int port, String name) throws IOException {
        return ChildJvm.start(TcpServerMain.class, List.of("-Xmx64m"), dir.resolve(name + ".err"),
                String.valueOf(port));
    }

    private static int listeningPort(ChildJvm server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.process().getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the server's first line").startsWith("listening ");
        return Integer.parseInt(line.substring("listening ".length()));
    }

    @Test
    void whenTheServerDiesTheCallInFlightFailsTypedAndAReconnectReachesItsSuccessor() throws Exception {
        ChildJvm first = server(0, "first");
        ChildJvm second = null;
        RpcPeer client = null;
        RpcPeer again = null;
        try {
            int port = listeningPort(first);
            client = RpcPeer.builder(TcpTransport.connect("127.0.0.1", port).block(WAIT)).connect();
            assertThat(client.call("echo", List.of(1)).block(WAIT).get(0).asInt()).isEqualTo(1);
            AtomicReference<Throwable> inFlight = new AtomicReference<>();
            client.call("hang", List.of()).subscribe(r -> { }, inFlight::set);
            awaitPending(client, 1);

            first.process().destroyForcibly().waitFor();

            client.onClose().block(WAIT);
            assertThat(Mono.fromSupplier(inFlight::get).repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(10)))
                    .block(WAIT)).isInstanceOf(RpcConnectionClosedException.class);
            RpcPeer old = client;
            assertThatThrownBy(() -> old.call("echo", List.of(2)).block(WAIT))
                    .isInstanceOf(RpcConnectionClosedException.class);
            assertThat(client.pendingCount()).isZero();

            // the way back: connect again, retrying while nothing listens
            AtomicReference<RpcPeer> reconnected = new AtomicReference<>();
            Mono.defer(() -> TcpTransport.connect("127.0.0.1", port))
                    .retryWhen(Retry.fixedDelay(300, Duration.ofMillis(100)))
                    .map(connection -> RpcPeer.builder(connection).connect())
                    .subscribe(reconnected::set);
            Thread.sleep(300);
            assertThat(reconnected.get()).as("connected while no server listens").isNull();
            second = server(port, "second");
            assertThat(listeningPort(second)).isEqualTo(port);
            again = Mono.fromSupplier(reconnected::get).repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(20)))
                    .block(WAIT);
            assertThat(again.call("echo", List.of(3)).block(WAIT).get(0).asInt()).isEqualTo(3);
        } finally {
            if (client != null) {
                client.dispose();
            }
            if (again != null) {
                again.dispose();
            }
            first.process().destroyForcibly();
            if (second != null) {
                second.process().destroyForcibly();
            }
        }
    }

    @Test
    void disposingTheServerInProcessStopsNewConnectionsButNotTheOnesItHas() {
        DisposableServer server = TcpRpcServer.create().host("127.0.0.1").port(0).router(TcpServerMain.router())
                .bind().block(WAIT);
        int port = server.port();
        RpcPeer client = RpcPeer.builder(TcpTransport.connect("127.0.0.1", port).block(WAIT)).connect();
        try {
            server.disposeNow(WAIT);
            assertThat(client.call("echo", List.of(1)).block(WAIT).get(0).asInt()).isEqualTo(1);
            assertThatThrownBy(() -> TcpTransport.connect("127.0.0.1", port).block(WAIT)).isNotNull();
        } finally {
            client.dispose();
        }
    }

    private static void awaitPending(RpcPeer peer, int n) throws InterruptedException {
        for (int i = 0; i < 1000 && peer.pendingCount() != n; i++) {
            Thread.sleep(10);
        }
        assertThat(peer.pendingCount()).isEqualTo(n);
    }
}
