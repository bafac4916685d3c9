package dev.plumb.consumer.web;

import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.HttpRpcClient;
import dev.plumb.rpc.web.HttpRpcServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/** rpc-web alone: an HTTP server on 127.0.0.1 (any free port) and a client calling it. */
public final class Main {

    record Subtract(int minuend, int subtrahend) {}

    private static final Duration WAIT = Duration.ofSeconds(20);

    public static void main(String[] args) {
        noTestLibraries();
        RpcRouter router = RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .build();
        DisposableServer server = HttpRpcServer.create().host("127.0.0.1").port(0).router(router).bindNow();
        try {
            HttpRpcClient client = HttpRpcClient.create("http://127.0.0.1:" + server.port() + "/rpc");
            expect(19, client.call("subtract", List.of(42, 23), Integer.class).block(WAIT), "positional params");
            expect(19, client.call("subtract", Map.of("minuend", 42, "subtrahend", 23), Integer.class).block(WAIT),
                    "named params");
            try {
                client.call("nope", List.of()).block(WAIT);
                throw new AssertionError("an unknown method answered");
            } catch (RpcErrorException e) {
                expect(-32601, e.code(), "error code of an unknown method");
            }
        } finally {
            server.disposeNow();
        }
        System.out.println("consumer-web: OK");
    }

    static void noTestLibraries() {
        for (String name : List.of("org.junit.jupiter.api.Test", "org.assertj.core.api.Assertions",
                "reactor.test.StepVerifier", "reactor.blockhound.BlockHound",
                // optional in rpc-web: only an application that uses WebFlux has it
                "org.springframework.web.reactive.function.server.RouterFunction")) {
            try {
                Class.forName(name, false, Main.class.getClassLoader());
                throw new AssertionError(name + " is on the classpath of a project that depends only on rpc-web");
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
