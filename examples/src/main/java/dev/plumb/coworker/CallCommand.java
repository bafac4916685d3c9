package dev.plumb.coworker;

import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.coworker.internal.PipeCommands;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.CiviPipe;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.pipe.PipeTransport;
import dev.plumb.rpc.pipe.TcpTransport;
import dev.plumb.rpc.web.HttpRpcClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code coworker call}: one JSON-RPC call over a pipe, HTTP or TCP. Prints the result as JSON on stdout (exit
 * 0) or the error object on stderr (exit 1). With {@code --pipe} and {@code -v} it shows the welcome header;
 * {@code --no-header} talks to a plain JSON-RPC stdio peer.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Make one JSON-RPC call and print the result (stdout, exit 0) or the error (stderr, exit 1).")
public final class CallCommand implements Callable<Integer> {

    static final class Target {
        @Option(names = "--pipe", paramLabel = "CMD", description = "Shell command speaking JSON-RPC on stdio, e.g. 'cv pipe'.")
        String pipe;

        @Option(names = "--web", paramLabel = "URL", description = "JSON-RPC over HTTP endpoint, e.g. http://127.0.0.1:8080/rpc?token=T.")
        String web;

        @Option(names = "--tcp", paramLabel = "HOST:PORT", description = "Newline-delimited JSON-RPC over TCP.")
        String tcp;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Parameters(index = "0", paramLabel = "METHOD", description = "Method name, e.g. echo or api4.")
    String method;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PARAMS_JSON", description = "Params as JSON, e.g. '[\"Queue\",\"get\"]'.")
    String params;

    @Option(names = "--token", description = "Bearer token for --web (instead of ?token= in the URL).")
    String token;

    @Option(names = "--timeout", description = "Seconds to wait for the reply (default: ${DEFAULT-VALUE}).", defaultValue = "30")
    double timeoutSeconds;

    @Option(names = "-v", description = "Verbose: show the pipe's welcome header (stderr) and debug logs.")
    boolean verbose;

    @Option(names = "--no-header", description = "With --pipe: the command sends no Civi::pipe welcome header (e.g. spec-server --stdio).")
    boolean noHeader;

    @Override
    public Integer call() throws Exception {
        LogSetup.apply(verbose ? "debug" : "warn", "text", null);
        RpcCodec codec = RpcCodec.defaults();
        Object p = null;
        if (params != null) {
            try {
                p = RawJson.of(codec.mapper().readTree(params).toString());
            } catch (RuntimeException e) {
                System.err.println("PARAMS_JSON is not valid JSON: " + e.getMessage());
                return 2;
            }
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        try {
            JsonNode result;
            if (target.web != null) {
                HttpRpcClient client = HttpRpcClient.create(target.web).timeout(timeout);
                result = (token == null ? client : client.token(token)).call(method, p).block();
            } else if (target.tcp != null) {
                int colon = target.tcp.lastIndexOf(':');
                if (colon < 1) {
                    System.err.println("--tcp needs HOST:PORT");
                    return 2;
                }
                RpcConnection connection = TcpTransport.connect(target.tcp.substring(0, colon),
                        Integer.parseInt(target.tcp.substring(colon + 1))).block(timeout);
                result = callAndClose(RpcPeer.builder(connection).timeout(timeout).connect(), p);
            } else {
                PipeTransport transport = PipeCommands.transport(target.pipe, "call");
                if (!noHeader) {
                    transport = CiviPipe.dialect().transport(transport);
                }
                PipeConnection connection = transport.connect().block(timeout);
                if (verbose) {
                    System.err.println(connection.welcomeHeader().map(h -> "welcome header: " + h.line())
                            .orElse("(no welcome header expected)"));
                }
                RpcPeer.Builder peer = RpcPeer.builder(connection).timeout(timeout);
                result = callAndClose(noHeader ? peer.connect() : CiviPipe.dialect().peer(peer).connect(), p);
                connection.stop(Duration.ofMillis(1500), Duration.ofMillis(1500)).block(Duration.ofSeconds(5));
            }
            System.out.println(result == null ? "null" : result.toString());
            return 0;
        } catch (RpcErrorException e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", e.error().code());
            err.put("message", e.error().message());
            err.put("data", e.error().data());
            System.err.println(codec.mapper().writeValueAsString(err));
            return 1;
        } catch (RuntimeException e) {
            System.err.println("call failed: " + e.getMessage());
            return 1;
        }
    }

    private JsonNode callAndClose(RpcPeer peer, Object p) {
        try {
            return peer.call(method, p).block();
        } finally {
            peer.dispose();
        }
    }
}
