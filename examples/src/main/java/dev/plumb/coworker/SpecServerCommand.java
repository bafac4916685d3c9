package dev.plumb.coworker;

import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.rpc.pipe.StdioServer;
import dev.plumb.rpc.pipe.TcpRpcServer;
import dev.plumb.rpc.web.HttpRpcServer;
import dev.plumb.coworker.spec.SpecMethods;
import dev.plumb.rpc.RpcRouter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.netty.DisposableServer;

/** {@code coworker spec-server}: serves the JSON-RPC 2.0 specification's example methods on stdio, HTTP or TCP. */
@Command(name = "spec-server", mixinStandardHelpOptions = true,
        description = "Serve the JSON-RPC 2.0 specification's example methods (subtract, sum, get_data, update, "
                + "notify_hello, notify_sum, echo), and rpc.discover (their OpenRPC document).")
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
            StdioServer.create().router(router).streams(System.in, out).serve();
            out.flush();
            return 0;
        }
        DisposableServer server;
        if (transport.http != null) {
            server = HttpRpcServer.create().host(host).port(transport.http).router(router).bindNow();
            out.println("http://" + host + ":" + server.port() + "/rpc");
        } else {
            server = TcpRpcServer.create().host(host).port(transport.tcp).router(router).bind().block();
            out.println(host + ":" + server.port());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow));
        server.onDispose().block();
        return 0;
    }

}
