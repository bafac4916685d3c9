package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.internal.StreamConnection;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Serves a router on this process's stdin/stdout, which is how a Java program becomes a pipe peer that
 * {@link PipeTransport} (or {@code coworker}, or any line-delimited JSON-RPC client) can spawn.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     StdioServer.serve(RpcRouter.builder().method("echo", ...).build());   // returns at EOF on stdin
 * }
 * }</pre>
 *
 * <p><b>stdout carries only the protocol.</b> Nothing here reconfigures {@code System.out}; make sure your logging
 * goes to stderr (slf4j-simple does by default; for Logback use a {@code ConsoleAppender} with
 * {@code <target>System.err</target>}), and never print to {@code System.out} yourself.
 *
 * <p>At end of input the server first finishes the calls it has read and writes their replies, then returns.
 * Immutable fluent configuration; defaults: newline framing, no welcome header, handlers started in arrival order
 * on the reading thread, the peer's limits ({@link RpcPeer.Builder}), 30 s timeout for calls the server makes to
 * its client.
 */
public final class StdioServer {

    private static final Logger LOG = LoggerFactory.getLogger(StdioServer.class);

    private final RpcRouter router;
    private final String welcomeHeader;
    private final Framing framing;
    private final Scheduler handlerScheduler;
    private final InputStream in;
    private final OutputStream out;
    private final UnaryOperator<RpcPeer.Builder> peerCustomizer;
    private final Supplier<String> responsePrefix;
    private final Consumer<? super RpcPeer> onConnect;

    private StdioServer(RpcRouter router, String welcomeHeader, Framing framing, Scheduler handlerScheduler,
                        InputStream in, OutputStream out, UnaryOperator<RpcPeer.Builder> peerCustomizer,
                        Supplier<String> responsePrefix, Consumer<? super RpcPeer> onConnect) {
        this.router = router;
        this.welcomeHeader = welcomeHeader;
        this.framing = framing;
        this.handlerScheduler = handlerScheduler;
        this.in = in;
        this.out = out;
        this.peerCustomizer = peerCustomizer;
        this.responsePrefix = responsePrefix;
        this.onConnect = onConnect;
    }

    /** A new configuration with no router (every call answers -32601 until one is set). */
    public static StdioServer builder() {
        return new StdioServer(RpcRouter.empty(), null, Framing.newlineDelimited(), null, null,
                null, b -> b, null, peer -> { });
    }

    /** Serves {@code router} on stdin/stdout and returns when stdin ends; for {@code main} methods (it blocks). */
    public static void serve(RpcRouter router) {
        builder().router(router).serve();
    }

    /** A copy serving {@code router}. */
    public StdioServer router(RpcRouter router) {
        return new StdioServer(Objects.requireNonNull(router), welcomeHeader, framing, handlerScheduler, in, out,
                peerCustomizer, responsePrefix, onConnect);
    }

    /** A copy that first prints {@code json} (one line, e.g. a {@code Civi::pipe} header) before any reply. */
    public StdioServer welcomeHeader(String json) {
        if (json != null && (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("the welcome header must be one line");
        }
        return new StdioServer(router, json, framing, handlerScheduler, in, out, peerCustomizer, responsePrefix, onConnect);
    }

    /** A copy with another framing (default newline-delimited). */
    public StdioServer framing(Framing framing) {
        return new StdioServer(router, welcomeHeader, Objects.requireNonNull(framing), handlerScheduler, in, out,
                peerCustomizer, responsePrefix, onConnect);
    }

    /**
     * A copy running every handler on {@code scheduler}, for servers whose handlers block or burn CPU; <b>messages
     * may then be handled out of order</b> (see {@link RpcPeer.Builder#handlerScheduler}). Default: none; handlers
     * start in arrival order on the thread that reads stdin, and their replies are written there too when the
     * writer is idle, with no hand-off. Like any stdio server, it stops reading while stdout is full, so a client
     * must read replies while it writes requests; every pipe client here does.
     */
    public StdioServer handlerScheduler(Scheduler scheduler) {
        return new StdioServer(router, welcomeHeader, framing, Objects.requireNonNull(scheduler), in, out,
                peerCustomizer, responsePrefix, onConnect);
    }

    /** A copy reading {@code in} and writing {@code out} instead of the process's stdin/stdout (for tests). */
    public StdioServer streams(InputStream in, OutputStream out) {
        return new StdioServer(router, welcomeHeader, framing, handlerScheduler, Objects.requireNonNull(in),
                Objects.requireNonNull(out), peerCustomizer, responsePrefix, onConnect);
    }

    /** A copy that lets {@code customizer} adjust the peer (timeout, limits) before it connects. */
    public StdioServer peer(UnaryOperator<RpcPeer.Builder> customizer) {
        return new StdioServer(router, welcomeHeader, framing, handlerScheduler, in, out,
                Objects.requireNonNull(customizer), responsePrefix, onConnect);
    }

    /**
     * A copy that writes {@code prefix} before every reply line (not before the welcome header), as a
     * {@code Civi::pipe} server does after {@code options {"responsePrefix": …}}. Null or empty: no prefix.
     */
    public StdioServer responsePrefix(String prefix) {
        return responsePrefix(() -> prefix);
    }

    /**
     * A copy that writes {@code prefix.get()} before every reply line, read as each line is written: a handler
     * that changes the value changes the prefix from the reply it is writing on (its own reply included, as
     * {@code Civi::pipe} does with {@code options {"responsePrefix": …}}). Null or empty values: no prefix.
     */
    public StdioServer responsePrefix(Supplier<String> prefix) {
        return new StdioServer(router, welcomeHeader, framing, handlerScheduler, in, out, peerCustomizer,
                Objects.requireNonNull(prefix), onConnect);
    }

    /**
     * A copy that hands the connection's peer to {@code callback} once it is connected, before anything is read:
     * how a stdio server notifies or calls its client outside of a handler (inside one, {@link RpcPeer#current()}
     * gives the same peer).
     */
    public StdioServer onConnect(Consumer<? super RpcPeer> callback) {
        return new StdioServer(router, welcomeHeader, framing, handlerScheduler, in, out, peerCustomizer,
                responsePrefix, Objects.requireNonNull(callback, "callback"));
    }

    /** Serves until stdin ends and the replies are written; blocks, so call it from {@code main}. */
    public void serve() {
        run().block();
    }

    /**
     * Starts serving; the {@link Mono} completes when input has ended and every reply has been written. The
     * reading and writing happen on two dedicated daemon threads.
     */
    public Mono<Void> run() {
        return Mono.defer(() -> {
            InputStream input = in != null ? in : new FileInputStream(FileDescriptor.in);
            OutputStream output = out != null ? out : new FileOutputStream(FileDescriptor.out);
            if (welcomeHeader != null) {
                try {
                    output.write(welcomeHeader.getBytes(StandardCharsets.UTF_8));
                    output.write('\n');
                    output.flush();
                } catch (IOException e) {
                    return Mono.error(new UncheckedIOException("cannot write the welcome header", e));
                }
            }
            // buffered: a reply is flushed when no more are ready to write (before the next blocking read, or when
            // the writer thread's queue is empty), not written with two system calls of its own
            StreamConnection connection = new StreamConnection(input, new BufferedOutputStream(output, 1 << 16),
                    framing, "stdio", LOG);
            if (responsePrefix != null) {
                connection.prefixEachFrame(responsePrefix);
            }
            // at end of input the peer answers what it has read, then closes the connection after the last write
            RpcPeer.Builder peer = RpcPeer.builder(connection).router(router).name("stdio");
            if (handlerScheduler != null) {
                peer.handlerScheduler(handlerScheduler);
            }
            onConnect.accept(peerCustomizer.apply(peer).connect());
            connection.start();
            return connection.onClose();
        });
    }
}
