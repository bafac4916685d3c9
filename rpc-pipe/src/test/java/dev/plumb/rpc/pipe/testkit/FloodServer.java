package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.StdioServer;
import dev.plumb.rpc.pipe.TcpRpcServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * An echo server at default settings for the never-reading-client tests (issue 8), meant to run with a small heap
 * ({@code -Xmx64m}); it reports its heap to a file through {@link HeapReporter} (the file appears when it is about
 * to serve). Method: {@code echo} (params back).
 *
 * <ul>
 *   <li>{@code stdio FILE}: a {@link StdioServer} (newline framing) on stdin/stdout; returns at end of stdin.</li>
 *   <li>{@code tcp FILE}: a {@link TcpRpcServer} (newline framing) on 127.0.0.1, any free port; prints
 *   {@code port N} as its only stdout line, and stops when its stdin ends.</li>
 * </ul>
 */
public final class FloodServer {

    private FloodServer() {
    }

    /** JVM options: the small heap the issue reproduced the OOM with. */
    public static final List<String> SMALL_HEAP = List.of("-Xmx64m");

    public static void main(String[] args) throws IOException {
        AtomicLong calls = new AtomicLong();
        RpcRouter router = RpcRouter.builder()
                .handler("echo", call -> {
                    calls.incrementAndGet();
                    return Mono.justOrEmpty(call.params().raw());
                })
                .build();
        Path report = Path.of(args[1]);
        switch (args[0]) {
            case "stdio" -> {
                HeapReporter.start(report, calls::get);
                StdioServer.create().router(router).serve();
            }
            case "tcp" -> {
                DisposableServer server = TcpRpcServer.create().host("127.0.0.1").port(0).router(router).bind()
                        .block();
                HeapReporter.start(report, calls::get);
                System.out.println("port " + server.port());
                System.out.flush();
                InputStream in = System.in;
                while (in.read() >= 0) {
                    // runs until the test closes stdin
                }
                server.disposeNow();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
