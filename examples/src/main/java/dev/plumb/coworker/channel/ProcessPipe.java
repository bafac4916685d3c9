package dev.plumb.coworker.channel;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcTimeoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC client on a subprocess's stdin/stdout in the {@code Civi::pipe} dialect: reads the welcome header
 * first, tolerates replies without ids (an id-less error goes to the single call in flight), skips noise lines
 * that are not JSON, and drains stderr into a logger, never into the protocol.
 *
 * <p>Blocking reads and writes run on the pipe's own threads. When the child exits, every pending call fails at
 * once with {@link RpcConnectionClosedException} naming the exit code and the last stderr lines. (This is the
 * slice of {@code rpc-pipe}'s PipeTransport + RpcPeer that coworker needs, kept local.)
 */
public final class ProcessPipe implements RpcChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessPipe.class);
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final RpcCodec CODEC = RpcCodec.defaults();
    private static final int STDERR_TAIL = 20;
    private static final boolean SETSID = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/setsid"));

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final ExecutorService writer;
    private final Map<Long, MonoSink<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final Sinks.One<JsonNode> header = Sinks.one();
    private final Logger childLog;
    private volatile boolean closed;
    private volatile String closeReason;

    private ProcessPipe(String name, Process process) {
        this.name = name + "[pid " + process.pid() + "]";
        this.process = process;
        this.stdin = process.getOutputStream();
        this.childLog = LoggerFactory.getLogger("pipe." + name);
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, this.name + "-out"));
        daemon(this::readStderr, this.name + "-err").start();
        daemon(this::readStdout, this.name + "-in").start();
    }

    private static Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts {@code command} with {@code sh -c} (plus {@code COWORKER_PIPE=1} in its environment) and completes
     * with the pipe once its welcome header arrived (or at once when no header is expected). Fails when the
     * process cannot start, exits first, or sends no header within {@code readyTimeout}.
     */
    public static Mono<ProcessPipe> start(String command, String name, boolean expectHeader, Duration readyTimeout) {
        return Mono.fromCallable(() -> {
            // setsid: a terminal's Ctrl-C reaches coworker only, which then stops its pipes gracefully
            ProcessBuilder pb = SETSID ? new ProcessBuilder("setsid", "sh", "-c", command)
                    : new ProcessBuilder("sh", "-c", command);
            pb.environment().put("COWORKER_PIPE", "1");
            try {
                return new ProcessPipe(name + "#" + SEQ.incrementAndGet(), pb.start());
            } catch (IOException e) {
                throw new RpcConnectionClosedException("cannot start pipe '" + command + "': " + e.getMessage(), e);
            }
        }).subscribeOn(Schedulers.boundedElastic()).flatMap(pipe -> {
            if (!expectHeader) {
                return Mono.just(pipe);
            }
            return pipe.header.asMono().timeout(readyTimeout)
                    .switchIfEmpty(Mono.error(() -> new RpcConnectionClosedException(
                            pipe.name + " did not start with a Civi::pipe welcome header")))
                    .thenReturn(pipe)
                    .onErrorMap(TimeoutException.class, e -> new RpcConnectionClosedException(
                            pipe.name + " sent no welcome header within " + readyTimeout.toMillis() + " ms"))
                    .doOnError(e -> pipe.kill());
        });
    }

    /** The welcome header ({@code {"v":…,"t":…,"l":[…]}} inside {@code Civi::pipe}); empty if the peer sent none. */
    public Mono<JsonNode> welcomeHeader() {
        return header.asMono();
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    @Override
    public String description() {
        return name;
    }

    @Override
    public boolean isAlive() {
        return !closed && process.isAlive();
    }

    @Override
    public Mono<JsonNode> call(String method, Object params, Duration timeout) {
        return Mono.<JsonNode>create(sink -> {
            if (!isAlive()) {
                sink.error(closedError());
                return;
            }
            long id = ids.incrementAndGet();
            byte[] frame = CODEC.encodeRequest(RpcId.of(id), method, params);
            pending.put(id, sink);
            sink.onDispose(() -> pending.remove(id));
            writer.execute(() -> {
                try {
                    stdin.write(frame);
                    stdin.write('\n');
                    stdin.flush();
                } catch (IOException e) {
                    MonoSink<JsonNode> s = pending.remove(id);
                    if (s != null) {
                        s.error(closedError());
                    }
                }
            });
            if (closed) { // closed between the check and the put: nobody else will fail this call
                MonoSink<JsonNode> s = pending.remove(id);
                if (s != null) {
                    s.error(closedError());
                }
            }
        }).timeout(timeout, Mono.error(() -> new RpcTimeoutException(method, timeout)));
    }

    private RpcConnectionClosedException closedError() {
        String reason = closeReason;
        return new RpcConnectionClosedException(reason != null ? reason : name + " is closed");
    }

    private void readStdout() {
        FrameDecoder decoder = Framing.newlineDelimited().newDecoder();
        List<byte[]> frames = new ArrayList<>();
        boolean[] headerPending = {true};
        try (InputStream in = process.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                decoder.feed(buf, 0, n, frames::add);
                for (byte[] f : frames) {
                    onFrame(f, headerPending);
                }
                frames.clear();
            }
        } catch (IOException | RpcProtocolException e) {
            LOG.debug("{}: stdout read ended: {}", name, e.toString());
        }
        int code;
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        closed = true;
        String tail;
        synchronized (stderrTail) {
            tail = String.join(" | ", stderrTail);
        }
        closeReason = name + " exited with code " + code + (tail.isEmpty() ? "" : "; stderr: " + tail);
        LOG.debug("{}", closeReason);
        header.tryEmitError(closedError());
        Iterator<Long> it = pending.keySet().iterator();
        while (it.hasNext()) {
            MonoSink<JsonNode> s = pending.remove(it.next());
            if (s != null) {
                s.error(closedError());
            }
        }
        writer.shutdown();
    }

    private void onFrame(byte[] frame, boolean[] headerPending) {
        if (frame == RpcConnection.OVERSIZED_FRAME) {
            LOG.warn("{}: dropped an oversized line", name);
            return;
        }
        JsonNode node;
        try {
            node = CODEC.mapper().readTree(frame);
        } catch (RuntimeException e) {
            LOG.warn("{}: ignoring a line that is not JSON: {}", name, abbreviate(frame));
            return;
        }
        if (headerPending[0]) {
            headerPending[0] = false;
            if (node.isObject() && node.has("Civi::pipe")) {
                header.tryEmitValue(node.get("Civi::pipe"));
                return;
            }
            header.tryEmitEmpty(); // a peer without a welcome header
        }
        if (!node.isObject() || !(node.has("result") || node.has("error"))) {
            LOG.warn("{}: ignoring a line that is not a response: {}", name, abbreviate(frame));
            return;
        }
        JsonNode idNode = node.get("id");
        MonoSink<JsonNode> sink = null;
        if (idNode != null && idNode.isIntegralNumber()) {
            sink = pending.remove(idNode.longValue());
        } else if (node.has("error") && pending.size() == 1) {
            Iterator<Long> only = pending.keySet().iterator();
            if (only.hasNext()) {
                sink = pending.remove(only.next()); // civi-pipe: protocol errors come without an id
            }
        }
        if (sink == null) {
            LOG.debug("{}: dropping a reply nobody waits for: {}", name, abbreviate(frame));
            return;
        }
        JsonNode error = node.get("error");
        if (error != null && !error.isNull()) {
            sink.error(new RpcErrorException(new RpcError(error.path("code").asInt(RpcError.INTERNAL_ERROR),
                    error.path("message").asString("error"), error.get("data"))));
        } else {
            sink.success(node.get("result"));
        }
    }

    private static String abbreviate(byte[] frame) {
        String s = new String(frame, StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                childLog.info("{}", line);
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_TAIL) {
                        stderrTail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    @Override
    public Mono<Void> stop() {
        return Mono.fromRunnable(() -> {
            closed = true;
            writer.execute(() -> {
                try {
                    stdin.close();
                } catch (IOException ignored) {
                    // already closed
                }
            });
        }).then(Mono.fromFuture(process.onExit()).timeout(Duration.ofMillis(1500))
                .onErrorResume(TimeoutException.class, e -> {
                    LOG.debug("{}: still running 1.5 s after stdin closed; SIGTERM", name);
                    process.descendants().forEach(ProcessHandle::destroy);
                    process.destroy();
                    return Mono.fromFuture(process.onExit()).timeout(Duration.ofMillis(1500));
                })
                .onErrorResume(TimeoutException.class, e -> {
                    LOG.warn("{}: still running 1.5 s after SIGTERM; SIGKILL", name);
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    return Mono.fromFuture(process.onExit());
                }))
                .then();
    }

    @Override
    public void kill() {
        closed = true;
        process.descendants().forEach(ProcessHandle::destroyForcibly); // sh -c may not exec its command
        process.destroyForcibly();
    }
}
