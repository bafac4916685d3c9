package dev.plumb.bench.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.StdioServer;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Plumb side of the pipe benchmark: a {@link StdioServer} whose {@code echo} returns its params. With no
 * arguments it is exactly {@code StdioServer.create().router(router)}, i.e. what users get by default.
 */
public final class PlumbEchoServer {

    private PlumbEchoServer() {
    }

    /**
     * Serves on stdin/stdout. Options (any order): {@code --immediate} runs handlers on the reading thread
     * ({@code handlerScheduler(Schedulers.immediate())}); {@code --content-length} uses LSP-style framing.
     */
    public static void main(String[] args) {
        List<String> options = List.of(args);
        RpcRouter router = RpcRouter.builder()
                .handler("echo", call -> Mono.justOrEmpty(call.params().raw()))
                .build();
        StdioServer server = StdioServer.create().router(router);
        if (options.contains("--immediate")) {
            server = server.handlerScheduler(Schedulers.immediate());
        }
        if (options.contains("--content-length")) {
            server = server.framing(Framing.contentLength());
        }
        server.serve();
    }
}
