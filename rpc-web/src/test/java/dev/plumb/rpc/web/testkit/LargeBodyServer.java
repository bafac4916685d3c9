package dev.plumb.rpc.web.testkit;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.web.HttpRpcServer;
import java.io.IOException;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * An HTTP JSON-RPC server for memory tests, run as a child JVM (with a small {@code -Xmx}) by {@link ChildJvm}:
 * listens on 127.0.0.1, prints {@code PORT <n>} on stdout, and stops when its stdin ends. Methods: {@code echo}
 * (the params back, raw), {@code ping} ({@code "pong"}). Option: {@code --max-body N} sets the body limit.
 */
public final class LargeBodyServer {

    private LargeBodyServer() {
    }

    /** Serves until stdin ends. */
    public static void main(String[] args) throws IOException {
        HttpRpcServer config = HttpRpcServer.create().host("127.0.0.1").port(0).router(RpcRouter.builder()
                .handler("echo", call -> Mono.justOrEmpty(call.params().raw()))
                .method("ping", () -> Mono.just("pong"))
                .build());
        for (int i = 0; i < args.length; i++) {
            if ("--max-body".equals(args[i])) {
                config = config.maxBodyBytes(Integer.parseInt(args[++i]));
            }
        }
        DisposableServer server = config.bindNow();
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close our stdin (or die)
        }
        server.disposeNow();
    }
}
