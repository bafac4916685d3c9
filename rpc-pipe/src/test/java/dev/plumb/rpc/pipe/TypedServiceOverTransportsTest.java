package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.testkit.ChildJvm;
import dev.plumb.rpc.pipe.testkit.Inventory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

/** One typed interface, served and called over a real child process and over TCP, gives what the string API gives. */
@Timeout(60)
class TypedServiceOverTransportsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Integer> progress = new CopyOnWriteArrayList<>();
    private final RpcRouter clientSide = RpcRouter.builder().service(new Inventory.Client() {
        @Override
        public Mono<String> labelFor(String sku) {
            return Mono.just("label-" + sku.length());
        }

        @Override
        public Mono<Void> progress(int percent) {
            progress.add(percent);
            return Mono.empty();
        }
    }).build();
    private RpcPeer peer;
    private DisposableServer tcp;

    @AfterEach
    void close() {
        if (peer != null) {
            peer.dispose();
        }
        if (tcp != null) {
            tcp.disposeNow(WAIT);
        }
    }

    @Test
    void overAChildProcess() {
        List<String> argv = ChildJvm.command(Inventory.Main.class, List.of("-XX:TieredStopAtLevel=1"));
        RpcConnection c = PipeTransport.command(argv).connect().block(WAIT);
        peer = RpcPeer.builder(c).router(clientSide).connect();
        exercise(peer);
    }

    @Test
    void overTcp() {
        tcp = TcpRpcServer.create().host("127.0.0.1").port(0).router(Inventory.router()).bind().block(WAIT);
        peer = RpcPeer.builder(TcpTransport.connect("127.0.0.1", tcp.port()).block(WAIT)).router(clientSide).connect();
        exercise(peer);
    }

    private void exercise(RpcPeer peer) {
        Inventory inventory = peer.proxy(Inventory.class);
        assertThat(inventory.add("ab-1", 3).block(WAIT)).isEqualTo(1);
        assertThat(peer.call("inventory/add", List.of("ab-2", 4), Integer.class).block(WAIT)).isEqualTo(2);
        assertThat(inventory.add("cd-1", 5).block(WAIT)).isEqualTo(3);

        assertThat(inventory.find(new Inventory.Query("ab", 10)).block(WAIT))
                .containsExactly(new Inventory.Item("ab-1", 3), new Inventory.Item("ab-2", 4));
        assertThat(peer.call("inventory/find", Map.of("prefix", "ab", "limit", 1)).block(WAIT).toString())
                .isEqualTo("[{\"sku\":\"ab-1\",\"count\":3}]");

        StepVerifier.create(inventory.all(), 1)
                .expectNext(new Inventory.Item("ab-1", 3))
                .thenRequest(2)
                .expectNextCount(2)
                .verifyComplete();
        assertThat(peer.stream("inventory/all", null, Inventory.Item.class).collectList().block(WAIT)).hasSize(3);

        inventory.audit("first");
        peer.notify("inventory/audit", List.of("second")).block(WAIT);
        assertThat(inventory.audits().block(WAIT)).containsExactly("first", "second");

        assertThat(inventory.label("ab-1").block(WAIT)).isEqualTo("ab-1:label-4");
        assertThat(progress).containsExactly(50);
    }
}
