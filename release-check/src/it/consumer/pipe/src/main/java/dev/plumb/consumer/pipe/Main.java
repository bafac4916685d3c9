package dev.plumb.consumer.pipe;

import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.pipe.PipeTransport;
import dev.plumb.rpc.pipe.StdioServer;
import dev.plumb.rpc.pipe.TcpRpcServer;
import dev.plumb.rpc.pipe.TcpTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * rpc-pipe alone: this class is both ends. With the argument {@code --stdio} it is a {@link StdioServer} child;
 * without, it spawns itself as that child with {@link PipeTransport} and calls it, then does the same over TCP on
 * 127.0.0.1 (the part of rpc-pipe that needs reactor-netty).
 */
public final class Main {

    record Subtract(int minuend, int subtrahend) {}

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static void main(String[] args) {
        noTestLibraries();
        if (args.length == 1 && args[0].equals("--stdio")) {
            StdioServer.serve(RpcRouter.builder()
                    .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                    .build());
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        PipeConnection child = PipeTransport
                .command(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--stdio")
                .name("consumer-child")
                .connect()
                .block(WAIT);
        RpcPeer client = RpcPeer.builder(child).connect();

        expect(19, client.call("subtract", List.of(42, 23), Integer.class).block(WAIT), "positional params");
        expect(-19, client.call("subtract", Map.of("minuend", 23, "subtrahend", 42), Integer.class).block(WAIT),
                "named params");
        try {
            client.call("nope", List.of()).block(WAIT);
            throw new AssertionError("an unknown method answered");
        } catch (RpcErrorException e) {
            expect(-32601, e.code(), "error code of an unknown method");
        }
        Integer exit = child.stop(Duration.ofSeconds(10), Duration.ofSeconds(5)).block(WAIT);
        expect(0, exit, "exit code of the stdio child after its stdin closed");
        client.dispose();

        DisposableServer tcp = TcpRpcServer.create().host("127.0.0.1").port(0).router(RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .build()).bind().block(WAIT);
        try {
            RpcPeer tcpClient = RpcPeer.builder(TcpTransport.connect("127.0.0.1", tcp.port()).block(WAIT)).connect();
            expect(19, tcpClient.call("subtract", List.of(42, 23), Integer.class).block(WAIT), "a call over TCP");
            tcpClient.dispose();
        } finally {
            tcp.disposeNow();
        }
        System.out.println("consumer-pipe: OK");
    }

    static void noTestLibraries() {
        for (String name : List.of("org.junit.jupiter.api.Test", "org.assertj.core.api.Assertions",
                "reactor.test.StepVerifier", "reactor.blockhound.BlockHound")) {
            try {
                Class.forName(name, false, Main.class.getClassLoader());
                throw new AssertionError(name + " is on the classpath of a project that depends only on rpc-pipe");
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
