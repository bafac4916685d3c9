package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcService;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.test.StepVerifier;

/** A typed service over HTTP (an HttpRpcClient proxy) and WebSocket (a peer proxy) gives what the string API gives. */
@Timeout(60)
class TypedServiceOverHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    record Point(int x, int y) {
    }

    @RpcService(prefix = "geo.")
    interface Geometry {
        Mono<Integer> distance(Point a, Point b);

        Mono<List<Point>> line(Point from);

        Flux<Point> walk(int steps);

        @RpcMethod(notification = true)
        Mono<Void> remember(String note);

        Mono<List<String>> notes();
    }

    static final class GeometryImpl implements Geometry {
        final List<String> notes = new CopyOnWriteArrayList<>();

        @Override
        public Mono<Integer> distance(Point a, Point b) {
            return Mono.just(Math.abs(a.x() - b.x()) + Math.abs(a.y() - b.y()));
        }

        @Override
        public Mono<List<Point>> line(Point from) {
            return Mono.just(List.of(from, new Point(from.x() + 1, from.y())));
        }

        @Override
        public Flux<Point> walk(int steps) {
            return Flux.range(0, steps).map(i -> new Point(i, i));
        }

        @Override
        public Mono<Void> remember(String note) {
            notes.add(note);
            return Mono.empty();
        }

        @Override
        public Mono<List<String>> notes() {
            return Mono.just(List.copyOf(notes));
        }
    }

    private static DisposableServer server;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().host("127.0.0.1").port(0)
                .router(RpcRouter.builder().service(new GeometryImpl()).build())
                .webSocketPath("/ws")
                .bindNow();
    }

    @AfterAll
    static void stop() {
        server.disposeNow(WAIT);
    }

    @Test
    void overHttp() {
        HttpRpcClient http = HttpRpcClient.create("http://127.0.0.1:" + server.port() + "/rpc");
        Geometry geo = http.proxy(Geometry.class);
        exercise(geo);
        assertThat(http.call("geo.distance", List.of(Map.of("x", 0, "y", 0), Map.of("x", 2, "y", 3)), Integer.class)
                .block(WAIT)).isEqualTo(5);
    }

    @Test
    void overWebSocket() {
        RpcPeer peer = WebSocketRpcClient.create(URI.create("ws://127.0.0.1:" + server.port() + "/ws")).connect()
                .block(WAIT);
        try {
            exercise(peer.proxy(Geometry.class));
            assertThat(peer.call("geo.distance", List.of(Map.of("x", 0, "y", 0), Map.of("x", 2, "y", 3)),
                    Integer.class).block(WAIT)).isEqualTo(5);
        } finally {
            peer.dispose();
        }
    }

    private static void exercise(Geometry geo) {
        assertThat(geo.distance(new Point(1, 1), new Point(4, 5)).block(WAIT)).isEqualTo(7);
        assertThat(geo.line(new Point(1, 2)).block(WAIT)).containsExactly(new Point(1, 2), new Point(2, 2));
        StepVerifier.create(geo.walk(100), 10).expectNextCount(10).thenRequest(90).expectNextCount(90)
                .verifyComplete();
        geo.remember("n" + System.nanoTime()).block(WAIT);
        assertThat(geo.notes().block(WAIT)).isNotEmpty();
    }
}
