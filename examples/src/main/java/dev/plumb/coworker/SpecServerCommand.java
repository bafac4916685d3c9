package dev.plumb.coworker;

import dev.plumb.coworker.internal.HttpRpcEndpoint;
import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.coworker.internal.StdioRpcServer;
import dev.plumb.coworker.spec.SpecMethods;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcRouter;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/** {@code coworker spec-server}: serves the JSON-RPC 2.0 specification's example methods on stdio, HTTP or TCP. */
@Command(name = "spec-server", mixinStandardHelpOptions = true,
        description = "Serve the JSON-RPC 2.0 specification's example methods (subtract, sum, get_data, update, "
                + "notify_hello, notify_sum, echo).")
public final class SpecServerCommand implements Callable<Integer> {

    static final class Transport {
        @Option(names = "--stdio", description = "Serve on stdin/stdout, one JSON value per line.")
        boolean stdio;

        @Option(names = "--http", paramLabel = "PORT", description = "Serve POST http://HOST:PORT/rpc (0 picks a port; the URL is printed).")
        Integer http;

        @Option(names = "--tcp", paramLabel = "PORT", description = "Serve newline-delimited JSON on TCP (0 picks a port; the address is printed).")
        Integer tcp;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Transport transport;

    @Option(names = "--host", description = "Bind address (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        LogSetup.apply("warn", "text", null);
        RpcRouter router = SpecMethods.router();
        if (transport.stdio) {
            new StdioRpcServer(router, null, null, Framing.DEFAULT_MAX_FRAME_BYTES).serve(System.in, out);
            out.flush();
            return 0;
        }
        DisposableServer server;
        if (transport.http != null) {
            server = HttpRpcEndpoint.bind(router, host, transport.http, null);
            out.println("http://" + host + ":" + server.port() + "/rpc");
        } else {
            server = TcpServer.create().host(host).port(transport.tcp)
                    .doOnConnection(c -> c.addHandlerLast(new LineBasedFrameDecoder(Framing.DEFAULT_MAX_FRAME_BYTES)))
                    .handle((in, o) -> o.sendByteArray(in.receive().asByteArray()
                            .concatMap(frame -> frame.length == 0 ? Mono.<byte[]>empty() : router.respond(frame))
                            .map(SpecServerCommand::line)))
                    .bindNow();
            out.println(host + ":" + server.port());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow));
        server.onDispose().block();
        return 0;
    }

    private static byte[] line(byte[] frame) {
        byte[] b = java.util.Arrays.copyOf(frame, frame.length + 1);
        b[frame.length] = '\n';
        return b;
    }
}
