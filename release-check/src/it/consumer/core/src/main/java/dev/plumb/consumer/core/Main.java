package dev.plumb.consumer.core;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** rpc-core alone: a router, two peers over memory, a call by position and by name, a stream, an error. */
public final class Main {

    record Subtract(int minuend, int subtrahend) {}

    private static final Duration WAIT = Duration.ofSeconds(20);

    public static void main(String[] args) {
        noTestLibraries();
        RpcRouter router = RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("count", Integer.class, n -> Flux.range(1, n))
                .build();

        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = RpcPeer.builder(pair.right()).router(router).connect();
        RpcPeer client = RpcPeer.builder(pair.left()).connect();

        expect(19, client.call("subtract", List.of(42, 23), Integer.class).block(WAIT), "positional params");
        expect(19, client.call("subtract", Map.of("minuend", 42, "subtrahend", 23), Integer.class).block(WAIT),
                "named params");
        expect(List.of(1, 2, 3), client.stream("count", 3, Integer.class).collectList().block(WAIT), "a stream");
        try {
            client.call("nope", List.of()).block(WAIT);
            throw new AssertionError("an unknown method answered");
        } catch (RpcErrorException e) {
            expect(-32601, e.code(), "error code of an unknown method");
        }
        client.dispose();
        server.dispose();
        System.out.println("consumer-core: OK");
    }

    /** What a user's runtime classpath must not hold: Plumb's test libraries. */
    static void noTestLibraries() {
        for (String name : List.of("org.junit.jupiter.api.Test", "org.assertj.core.api.Assertions",
                "reactor.test.StepVerifier", "reactor.blockhound.BlockHound")) {
            try {
                Class.forName(name, false, Main.class.getClassLoader());
                throw new AssertionError(name + " is on the classpath of a project that depends only on rpc-core");
            } catch (ClassNotFoundException expected) {
                // good
            }
        }
    }

    static void expect(Object expected, Object actual, String what) {
        if (!expected.equals(actual)) {
            throw new AssertionError(what + ": expected " + expected + " but got " + actual);
        }
    }
}
