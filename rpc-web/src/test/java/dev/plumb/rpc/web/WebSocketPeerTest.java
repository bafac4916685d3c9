package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

/** The WebSocket endpoint: a full peer on each side, calls in both directions. */
@Timeout(60)
class WebSocketPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final BlockingQueue<RpcPeer> SERVER_SIDE = new LinkedBlockingQueue<>();
    private static DisposableServer server;
    private static URI ws;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().port(0)
                .router(new SpecMethods().router())
                .authenticator(BearerTokenAuthenticator.of("t0ken", RpcPrincipal.of("carol")))
                .peerSettings(b -> b.timeout(Duration.ofSeconds(10)))
                .onConnect(SERVER_SIDE::add)
                .bindNow();
        ws = URI.create("ws://127.0.0.1:" + server.port() + "/rpc/ws");
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    private static RpcPeer connect(RpcRouter clientMethods) {
        return WebSocketRpcClient.create(ws).token("t0ken").router(clientMethods).connect().block(WAIT);
    }

    private static RpcPeer serverSideOfTheNewestConnection() throws InterruptedException {
        RpcPeer p = SERVER_SIDE.poll(10, TimeUnit.SECONDS);
        assertThat(p).as("the server announced the connection").isNotNull();
        return p;
    }

    @Test
    void theClientCallsTheServer() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(client.call("subtract", List.of(42, 23), Integer.class))
                    .expectNext(19).expectComplete().verify(WAIT);
            StepVerifier.create(client.call("get_data", null).map(n -> n.toString()))
                    .expectNext("[\"hello\",5]").expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void handlersSeeThePrincipalOfTheConnection() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(client.call("whoami", null, String.class))
                    .expectNext("carol").expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void itemsCollectedForAPlainCallSeeThePrincipalOfTheConnection() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(client.call("whoami_each", List.of(2)).map(n -> n.toString()))
                    .expectNext("[\"carol\",\"carol\"]").expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void streamedItemsSeeThePrincipalOfTheConnection() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(client.stream("whoami_each", List.of(3), String.class))
                    .expectNext("carol", "carol", "carol").expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void theServerCallsAndNotifiesTheClient() throws InterruptedException {
        Sinks.Many<String> heard = Sinks.many().replay().all();
        RpcRouter clientMethods = RpcRouter.builder()
                .method("client.echo", String.class, s -> Mono.just(s + " from the client"))
                .method("client.tell", String.class, s -> Mono.fromRunnable(() -> heard.tryEmitNext(s)))
                .build();
        RpcPeer client = connect(clientMethods);
        RpcPeer serverSide = serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(serverSide.call("client.echo", List.of("hi"), String.class))
                    .expectNext("hi from the client").expectComplete().verify(WAIT);
            StepVerifier.create(serverSide.notify("client.tell", List.of("news"))).expectComplete().verify(WAIT);
            StepVerifier.create(heard.asFlux().next()).expectNext("news").expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void aStreamFlowsOverTheWebSocket() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(client.stream("count", List.of(5000), Integer.class).reduce(0L, Long::sum))
                    .expectNext(4999L * 5000 / 2).expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void closingTheClientClosesTheServerSidePeer() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        RpcPeer serverSide = serverSideOfTheNewestConnection();
        client.dispose();
        StepVerifier.create(serverSide.onClose()).expectComplete().verify(WAIT);
        StepVerifier.create(serverSide.call("anything", null))
                .expectError(RpcConnectionClosedException.class).verify(WAIT);
    }

    @Test
    void aHandshakeWithoutTheTokenIsRefusedWith401() {
        StepVerifier.create(WebSocketRpcClient.create(ws).connect())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HttpRpcException.class)
                        .extracting(x -> ((HttpRpcException) x).status()).isEqualTo(401))
                .verify(WAIT);
    }

    @Test
    void theTokenMayComeFromTheUrl() throws InterruptedException {
        RpcPeer client = WebSocketRpcClient.create(URI.create(ws + "?token=t0ken")).connect().block(WAIT);
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(client.call("sum", List.of(1, 2, 3), Integer.class))
                    .expectNext(6).expectComplete().verify(WAIT);
        } finally {
            client.dispose();
        }
    }

    @Test
    void tenThousandPipelinedCallsAllComeBack() throws InterruptedException {
        RpcPeer client = connect(RpcRouter.empty());
        serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(Flux.range(0, 10_000)
                            .flatMap(i -> client.call("subtract", List.of(i, 0), Long.class), 256)
                            .reduce(0L, Long::sum))
                    .expectNext(9_999L * 10_000 / 2)
                    .expectComplete().verify(Duration.ofSeconds(30));
            assertThat(client.pendingCount()).isZero();
        } finally {
            client.dispose();
        }
    }

    @Test
    void aLargeMessageRoundTrips() throws InterruptedException {
        RpcRouter echo = RpcRouter.builder().method("client.length", String.class, s -> Mono.just(s.length())).build();
        RpcPeer client = connect(echo);
        RpcPeer serverSide = serverSideOfTheNewestConnection();
        try {
            StepVerifier.create(serverSide.call("client.length", List.of("x".repeat(4_000_000)), Integer.class))
                    .expectNext(4_000_000).expectComplete().verify(Duration.ofSeconds(30));
        } finally {
            client.dispose();
        }
    }

    @Test
    void aPlainGetOnTheWebSocketPathAsksForAnUpgrade() {
        var r = RawHttp.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/rpc/ws"))
                .GET().build());
        assertThat(r.statusCode()).isEqualTo(426);
    }
}
