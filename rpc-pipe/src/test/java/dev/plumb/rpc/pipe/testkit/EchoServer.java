package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.StdioServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A stdio JSON-RPC server for tests, spawned as a real child with the test classpath (see {@link #command}).
 * Methods: {@code echo} (params back), {@code sleep [ms]}, {@code fail [code, message]}, {@code die [code]}
 * (exits at once after a stderr line), {@code stderr [bytes]} (writes that much to stderr first), {@code pid},
 * {@code count} (calls served so far), {@code meta} (the call's metadata), {@code env [name]}, {@code ticks [n]}
 * (a stream), {@code options {"responsePrefix": P}} (sets the prefix of every reply from this one on, as
 * {@code Civi::pipe} does).
 * Options: {@code --header JSON} prints a welcome header first, {@code --immediate} runs handlers inline,
 * {@code --prefix P} starts with response prefix P, {@code --content-length} frames with {@code Content-Length}
 * headers instead of newlines, {@code --max-frame N} sets the inbound frame limit.
 */
public final class EchoServer {

    private EchoServer() {
    }

    /** The argv that runs this server in a new JVM with the current classpath, plus {@code args}. */
    public static List<String> command(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("-Xss512k");
        argv.add("-XX:TieredStopAtLevel=1");
        argv.add("-XX:+UseSerialGC");
        argv.add("-Xshare:auto");
        argv.add(EchoServer.class.getName());
        argv.addAll(List.of(args));
        return argv;
    }

    /** The router with the test methods ({@code options} changes a prefix nobody reads). */
    public static RpcRouter router() {
        return router(new AtomicReference<>());
    }

    /** The router with the test methods; {@code options {"responsePrefix": P}} sets {@code prefix}. */
    public static RpcRouter router(AtomicReference<String> prefix) {
        AtomicLong served = new AtomicLong();
        return RpcRouter.builder()
                .filter((call, next) -> {
                    served.incrementAndGet();
                    return next.proceed(call);
                })
                .handler("echo", call -> Mono.justOrEmpty(call.params().raw()))
                .method("sleep", long[].class, ms -> Mono.delay(Duration.ofMillis(ms[0])).thenReturn(ms[0]))
                .handler("fail", call -> {
                    Object[] p = call.params().as(Object[].class);
                    throw new RpcErrorException(new RpcError(((Number) p[0]).intValue(), String.valueOf(p[1])));
                })
                .method("die", int[].class, code -> {
                    System.err.println("dying with code " + code[0]);
                    System.err.flush();
                    Runtime.getRuntime().halt(code[0]);
                    return Mono.empty();
                })
                .method("stderr", long[].class, n -> Mono.fromCallable(() -> {
                    byte[] line = ("x".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);
                    long written = 0;
                    while (written < n[0]) {
                        System.err.write(line, 0, line.length);
                        written += line.length;
                    }
                    System.err.flush();
                    return written;
                }).subscribeOn(Schedulers.boundedElastic()))
                .method("pid", () -> Mono.just(ProcessHandle.current().pid()))
                .method("meta", () -> dev.plumb.rpc.RpcMetadata.current())
                .method("count", () -> Mono.just(served.get()))
                .method("env", String[].class, name -> Mono.justOrEmpty(System.getenv(name[0])))
                .method("ticks", int[].class, n -> Flux.range(0, n[0]))
                .method("options", Options.class, o -> {
                    prefix.set(o.responsePrefix());
                    return Mono.just(Map.of("responsePrefix", o.responsePrefix() == null ? "" : o.responsePrefix()));
                })
                .build();
    }

    /** The params of {@code options}. */
    public record Options(String responsePrefix) {
    }

    /** Serves {@link #router()} on stdin/stdout. */
    public static void main(String[] args) {
        AtomicReference<String> prefix = new AtomicReference<>();
        StdioServer server = StdioServer.create().router(router(prefix)).responsePrefix(prefix::get);
        boolean contentLength = false;
        int maxFrame = Framing.DEFAULT_MAX_FRAME_BYTES;
        for (int i = 0; i < args.length; i++) {
            if ("--header".equals(args[i])) {
                server = server.welcomeHeader(args[++i]);
            } else if ("--prefix".equals(args[i])) {
                prefix.set(args[++i]);
            } else if ("--immediate".equals(args[i])) {
                server = server.handlerScheduler(Schedulers.immediate());
            } else if ("--content-length".equals(args[i])) {
                contentLength = true;
            } else if ("--max-frame".equals(args[i])) {
                maxFrame = Integer.parseInt(args[++i]);
            }
        }
        int max = maxFrame;
        server = server.framing(contentLength ? Framing.contentLength(max) : Framing.newlineDelimited(max));
        server.serve();
    }
}
