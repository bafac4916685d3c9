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
import org.jspecify.annotations.Nullable;
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

    private final Settings settings;

    private StdioServer(Settings settings) {
        this.settings = settings;
    }

    /** A new configuration with the defaults and no router (every call answers -32601 until one is set). */
    public static StdioServer create() {
        return new StdioServer(new Settings());
    }

    /**
     * The same as {@link #create()}: this returns the configuration itself, not a builder.
     *
     * @deprecated use {@link #create()}
     */
    @Deprecated(forRemoval = true)
    public static StdioServer builder() {
        return create();
    }

    /** Serves {@code router} on stdin/stdout and returns when stdin ends; for {@code main} methods (it blocks). */
    public static void serve(RpcRouter router) {
        create().router(router).serve();
    }

    /** A copy serving {@code router}. Default: {@link RpcRouter#empty()}, every call answers -32601. */
    public StdioServer router(RpcRouter router) {
        Objects.requireNonNull(router, "router");
        return with(s -> s.router = router);
    }

    /**
     * A copy that first prints {@code json} (one line, e.g. a {@code Civi::pipe} header) before any reply;
     * {@code null} prints none. Default: none.
     */
    public StdioServer welcomeHeader(@Nullable String json) {
        if (json != null && (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("the welcome header must be one line");
        }
        return with(s -> s.welcomeHeader = json);
    }

    /** A copy with another framing. Default: {@link Framing#newlineDelimited()}. */
    public StdioServer framing(Framing framing) {
        Objects.requireNonNull(framing, "framing");
        return with(s -> s.framing = framing);
    }

    /**
     * A copy running every handler on {@code scheduler}, for servers whose handlers block or burn CPU; <b>messages
     * may then be handled out of order</b> (see {@link RpcPeer.Builder#handlerScheduler}). Default: none; handlers
     * start in arrival order on the thread that reads stdin, and their replies are written there too when the
     * writer is idle, with no hand-off. Like any stdio server, it stops reading while stdout is full, so a client
     * must read replies while it writes requests; every pipe client here does.
     */
    public StdioServer handlerScheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return with(s -> s.handlerScheduler = scheduler);
    }

    /**
     * A copy reading {@code in} and writing {@code out} instead of the process's stdin/stdout (for tests).
     * Default: the process's stdin and stdout.
     */
    public StdioServer streams(InputStream in, OutputStream out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        return with(s -> {
            s.in = in;
            s.out = out;
        });
    }

    /**
     * A copy that also lets {@code customizer} adjust the peer (timeout, limits) before it connects; customizers
     * compose, applied in the order given. Default: none, the peer's defaults.
     */
    public StdioServer peer(UnaryOperator<RpcPeer.Builder> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        return with(s -> {
            UnaryOperator<RpcPeer.Builder> before = s.peerCustomizer;
            s.peerCustomizer = b -> customizer.apply(before.apply(b));
        });
    }

    /**
     * A copy that writes {@code prefix} before every reply line (not before the welcome header), as a
     * {@code Civi::pipe} server does after {@code options {"responsePrefix": …}}. Null or empty: no prefix.
     * Default: no prefix.
     */
    public StdioServer responsePrefix(@Nullable String prefix) {
        return responsePrefix(() -> prefix);
    }

    /**
     * A copy that writes {@code prefix.get()} before every reply line, read as each line is written: a handler
     * that changes the value changes the prefix from the reply it is writing on (its own reply included, as
     * {@code Civi::pipe} does with {@code options {"responsePrefix": …}}). Null or empty values: no prefix.
     * Default: no prefix.
     */
    public StdioServer responsePrefix(Supplier<@Nullable String> prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return with(s -> s.responsePrefix = prefix);
    }

    /**
     * A copy that hands the connection's peer to {@code callback} once it is connected, before anything is read:
     * how a stdio server notifies or calls its client outside of a handler (inside one, {@link RpcPeer#current()}
     * gives the same peer). Default: nothing.
     */
    public StdioServer onConnect(Consumer<? super RpcPeer> callback) {
        Objects.requireNonNull(callback, "callback");
        return with(s -> s.onConnect = callback);
    }

    /** Serves until stdin ends and the replies are written; blocks, so call it from {@code main}. */
    public void serve() {
        run().block();
    }

    /**
     * Starts serving; the {@link Mono} completes when input has ended and every reply has been written. The
     * reading and writing happen on two dedicated daemon threads. Cancelling the subscription stops the server:
     * the peer closes (calls it made fail, nothing more is written) and the reading thread ends at its next read.
     */
    public Mono<Void> run() {
        Settings c = settings;
        return Mono.defer(() -> {
            InputStream input = c.in != null ? c.in : new FileInputStream(FileDescriptor.in);
            OutputStream output = c.out != null ? c.out : new FileOutputStream(FileDescriptor.out);
            String welcomeHeader = c.welcomeHeader;
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
                    c.framing, "stdio", LOG);
            if (c.responsePrefix != null) {
                connection.prefixEachFrame(c.responsePrefix);
            }
            // at end of input the peer answers what it has read, then closes the connection after the last write
            RpcPeer.Builder builder = RpcPeer.builder(connection).router(c.router).name("stdio");
            if (c.handlerScheduler != null) {
                builder = builder.handlerScheduler(c.handlerScheduler);
            }
            RpcPeer peer = c.peerCustomizer.apply(builder).connect();
            c.onConnect.accept(peer);
            connection.start();
            return connection.onClose().doOnCancel(peer::dispose);
        });
    }

    private StdioServer with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new StdioServer(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        RpcRouter router = RpcRouter.empty();
        @Nullable String welcomeHeader;
        Framing framing = Framing.newlineDelimited();
        @Nullable Scheduler handlerScheduler;
        @Nullable InputStream in;
        @Nullable OutputStream out;
        UnaryOperator<RpcPeer.Builder> peerCustomizer = UnaryOperator.identity();
        @Nullable Supplier<@Nullable String> responsePrefix;
        Consumer<? super RpcPeer> onConnect = peer -> { };

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
