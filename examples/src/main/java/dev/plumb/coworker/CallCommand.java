package dev.plumb.coworker;

import dev.plumb.coworker.channel.ProcessPipe;
import dev.plumb.coworker.channel.RpcChannel;
import dev.plumb.coworker.channel.WebChannel;
import dev.plumb.coworker.internal.LogSetup;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * 0) or the error object on stderr (exit 1). With {@code --pipe} and {@code -v} it shows the welcome header.
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
            if (target.tcp != null) {
                result = callTcp(codec, p, timeout);
            } else {
                RpcChannel ch;
                if (target.pipe != null) {
                    ProcessPipe pipe = ProcessPipe.start(target.pipe, "call", false, timeout).block(timeout);
                    ch = pipe;
                    result = ch.call(method, p, timeout).block();
                    if (verbose) {
                        JsonNode header = pipe.welcomeHeader().onErrorResume(e -> reactor.core.publisher.Mono.empty())
                                .block(Duration.ofSeconds(1));
                        System.err.println(header == null ? "(no welcome header)"
                                : "welcome header: {\"Civi::pipe\":" + header + "}");
                    }
                } else {
                    ch = new WebChannel(target.web, token);
                    result = ch.call(method, p, timeout).block();
                }
                ch.stop().block(Duration.ofSeconds(5));
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

    private JsonNode callTcp(RpcCodec codec, Object p, Duration timeout) throws Exception {
        int colon = target.tcp.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("--tcp needs HOST:PORT");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.tcp.substring(0, colon),
                    Integer.parseInt(target.tcp.substring(colon + 1))), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(codec.encodeRequest(RpcId.of(1), method, p));
            out.write('\n');
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IllegalStateException("the server closed the connection without a reply");
            }
            JsonNode reply = codec.mapper().readTree(line);
            JsonNode error = reply.get("error");
            if (error != null && !error.isNull()) {
                throw new RpcErrorException(new dev.plumb.rpc.RpcError(error.path("code").asInt(),
                        error.path("message").asString(""), error.get("data")));
            }
            return reply.get("result");
        }
    }
}
