package dev.plumb.coworker;

import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.coworker.internal.PipeCommands;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcTimeoutException;
import dev.plumb.rpc.pipe.CiviPipe;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.pipe.PipeTransport;
import dev.plumb.rpc.pipe.TcpTransport;
import dev.plumb.rpc.web.HttpRpcClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code coworker call}: one JSON-RPC call over a pipe, HTTP or TCP. Prints the result as JSON on stdout (exit
 * 0) or the error object as the server sent it on stderr (exit 1). With {@code --pipe} a {@code Civi::pipe} welcome
 * header is detected when the pipe sends one (and shown with {@code -v}), so plain JSON-RPC stdio peers answer at
 * once too. A failure says what was waited for and what to try.
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

    @Option(names = "--no-header", description = "With --pipe: do not look for a Civi::pipe welcome header (by default one is detected when the pipe sends it, and not needed).")
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
        PipeConnection[] pipeConnection = new PipeConnection[1];
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
                result = callOverPipe(p, timeout, pipeConnection);
            }
            System.out.println(result == null ? "null" : result.toString());
            return 0;
        } catch (RpcErrorException e) {
            System.err.println(errorJson(codec, e.error()));
            return 1;
        } catch (CallFailed e) {
            System.err.println("call failed: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("call failed: " + explain(e, timeout, pipeConnection[0]));
            return 1;
        } finally {
            if (pipeConnection[0] != null) {
                pipeConnection[0].stop(Duration.ofMillis(1500), Duration.ofMillis(1500))
                        .onErrorResume(x -> reactor.core.publisher.Mono.empty()).block(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * One call over a pipe. A {@code Civi::pipe} welcome header is detected, not required: a pipe that prints one
     * gets the Civi dialect's handling of it, a plain JSON-RPC stdio peer is answered at once.
     */
    private JsonNode callOverPipe(Object p, Duration timeout, PipeConnection[] connectionOut) {
        PipeTransport transport = PipeCommands.transport(target.pipe, "call");
        CiviPipe civi = CiviPipe.dialect().headerOptional(true);
        if (!noHeader) {
            transport = civi.transport(transport);
        }
        PipeConnection connection = transport.connect().block(timeout);
        connectionOut[0] = connection;
        RpcPeer.Builder builder = RpcPeer.builder(connection).timeout(timeout);
        RpcPeer peer = noHeader ? builder.connect() : civi.peer(builder).connect();
        try {
            return peer.call(method, p).block();
        } catch (RpcErrorException e) {
            throw e;
        } catch (RuntimeException e) {
            // explained now, while the pipe is as the call left it (closing the peer ends it)
            throw new CallFailed(explain(e, timeout, connection), e);
        } finally {
            peer.dispose();
            if (verbose) {
                System.err.println(connection.welcomeHeader().map(h -> "welcome header: " + h.line())
                        .orElse(noHeader ? "(--no-header: a welcome header would be taken as a message)"
                                : "(no welcome header: a plain JSON-RPC peer)"));
            }
        }
    }

    /** A failed call, already explained. */
    private static final class CallFailed extends RuntimeException {
        CallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The error object as the server sent it: {@code data} only when it sent some. */
    static String errorJson(RpcCodec codec, RpcError error) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", error.code());
        err.put("message", error.message());
        if (error.data() != null) {
            err.put("data", error.data());
        }
        return codec.mapper().writeValueAsString(err);
    }

    /** What went wrong, what was waited for, and what to try. */
    private String explain(RuntimeException e, Duration timeout, PipeConnection pipe) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof RpcTimeoutException)
                && !(cause instanceof java.util.concurrent.TimeoutException)) {
            cause = cause.getCause();
        }
        String seconds = timeout.toMillis() % 1000 == 0 ? Long.toString(timeout.toSeconds())
                : String.format(java.util.Locale.ROOT, "%.1f", timeout.toMillis() / 1000.0);
        String request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params.strip()) + "}";
        boolean timedOut = cause instanceof RpcTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                || String.valueOf(e.getMessage()).contains("Timeout");
        String nl = System.lineSeparator();
        if (target.pipe != null) {
            if (pipe == null) {
                return (timedOut ? "the pipe did not start within " + seconds + " s: " : "the pipe did not start: ")
                        + e.getMessage() + nl + "  Try the command by hand: " + target.pipe;
            }
            if (!pipe.isAlive()) {
                List<String> tail = pipe.stderrTail();
                return "the pipe exited" + pipe.exitCode().stream().mapToObj(c -> " with code " + c).findFirst()
                        .orElse("") + " before it replied to " + method + "."
                        + (tail.isEmpty() ? " It wrote nothing on stderr."
                                : nl + "  Its last stderr lines:" + nl + "    " + String.join(nl + "    ", tail))
                        + nl + "  Try the command by hand: " + target.pipe;
            }
            if (timedOut) {
                String header = pipe.welcomeHeader().map(h -> "It sent the welcome header " + h.line() + " and then ")
                        .orElse("It sent no welcome header and ");
                return "no reply to " + method + " within " + seconds + " s from the pipe (pid " + pipe.pid() + ", still"
                        + " running). " + header + "nothing else on stdout." + nl
                        + "  Try: a longer --timeout; -v to see its stderr; or run it by hand and type the request:"
                        + nl + "    " + target.pipe + nl + "    " + request;
            }
            return e.getMessage();
        }
        String where = target.web != null ? target.web : target.tcp;
        if (timedOut) {
            return "no reply to " + method + " within " + seconds + " s from " + where + "." + nl
                    + "  Try: a longer --timeout, or check the endpoint by hand"
                    + (target.web != null ? ": curl -sS -H 'Content-Type: application/json' -d '" + request + "' '"
                            + target.web + "'" : ".");
        }
        return e.getMessage();
    }

    private JsonNode callAndClose(RpcPeer peer, Object p) {
        try {
            return peer.call(method, p).block();
        } finally {
            peer.dispose();
        }
    }
}
