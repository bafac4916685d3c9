package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.TcpRpcServer;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * A TCP JSON-RPC server in its own JVM, for tests that kill and restart a server under a client: binds
 * 127.0.0.1 on the port given (0: any), prints {@code listening <port>} and serves {@code echo} (params back) and
 * {@code hang} (never answers) until killed.
 */
public final class TcpServerMain {

    private TcpServerMain() {
    }

    /** The router served. */
    public static RpcRouter router() {
        return RpcRouter.builder()
                .method("echo", List.class, p -> Mono.just(p))
                .method("hang", () -> Mono.never())
                .build();
    }

    /** Serves on the port in {@code args[0]} until killed. */
    public static void main(String[] args) {
        DisposableServer server = TcpRpcServer.create().host("127.0.0.1").port(Integer.parseInt(args[0]))
                .router(router()).bind().block();
        System.out.println("listening " + server.port());
        System.out.flush();
        server.onDispose().block();
    }
}
