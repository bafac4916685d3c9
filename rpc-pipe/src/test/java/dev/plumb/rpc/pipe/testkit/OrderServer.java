package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.StdioServer;
import dev.plumb.rpc.pipe.internal.StreamConnection;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stdio servers with {@code Content-Length} framing for the ordered-dispatch tests (issue 8), at default settings:
 * no handler scheduler is set anywhere.
 *
 * <ul>
 *   <li>{@code record}: a {@link StdioServer} whose notification {@code n [i]} appends {@code i} to a list as its
 *   handler starts, and whose request {@code seen} answers that list as it is when its handler starts.</li>
 *   <li>{@code emit}: a peer whose request {@code emit {"n": N}} sends the notifications {@code tick [0]} …
 *   {@code tick [N-1]} to its client, in that order, then answers {@code N}. {@link StdioServer} does not hand out
 *   its peer (its {@code peer(…)} hook only adjusts the builder), so this builds the same thing StdioServer does
 *   from {@code RpcPeer.builder(new StreamConnection(stdin, stdout, …))}.</li>
 * </ul>
 */
public final class OrderServer {

    private static final Logger LOG = LoggerFactory.getLogger(OrderServer.class);

    private OrderServer() {
    }

    /** The argv that runs this server in {@code mode} ({@code record} or {@code emit}). */
    public static List<String> command(String mode) {
        return ChildJvm.command(OrderServer.class, List.of(), mode);
    }

    /** The params of {@code emit}. */
    public record Emit(int n) {
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "record" -> record();
            case "emit" -> emit();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void record() {
        List<Integer> seen = new ArrayList<>();
        RpcRouter router = RpcRouter.builder()
                .handler("n", call -> {
                    int i = call.params().as(int[].class)[0];
                    synchronized (seen) {
                        seen.add(i);
                    }
                    return Mono.empty();
                })
                .method("seen", () -> {
                    synchronized (seen) {
                        return Mono.just(List.copyOf(seen));
                    }
                })
                .build();
        StdioServer.create().framing(Framing.contentLength()).router(router).serve();
    }

    private static void emit() {
        AtomicReference<RpcPeer> self = new AtomicReference<>();
        RpcRouter router = RpcRouter.builder()
                .method("emit", Emit.class, e -> Flux.range(0, e.n())
                        .concatMap(i -> self.get().notify("tick", List.of(i)))
                        .then(Mono.just(e.n())))
                .build();
        StreamConnection connection = new StreamConnection(new FileInputStream(FileDescriptor.in),
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), Framing.contentLength(),
                "stdio", LOG);
        self.set(RpcPeer.builder(connection).router(router).name("emitter").connect());
        connection.start();
        connection.onClose().block();
    }
}
