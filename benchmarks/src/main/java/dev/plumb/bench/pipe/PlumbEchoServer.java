package dev.plumb.bench.pipe;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.StdioServer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The Plumb side of the pipe benchmark: a {@link StdioServer} whose {@code echo} returns its params. */
public final class PlumbEchoServer {

    private PlumbEchoServer() {
    }

    /** Serves on stdin/stdout; {@code --immediate} runs the handler on the reading thread. */
    public static void main(String[] args) {
        RpcRouter router = RpcRouter.builder()
                .handler("echo", call -> Mono.justOrEmpty(call.params().raw()))
                .build();
        StdioServer server = StdioServer.builder().router(router);
        if (args.length > 0 && "--immediate".equals(args[0])) {
            server = server.handlerScheduler(Schedulers.immediate());
        }
        server.serve();
    }
}
