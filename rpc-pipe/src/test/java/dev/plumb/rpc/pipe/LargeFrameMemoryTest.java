package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory per message over a pipe: a {@link StdioServer} child at {@code -Xmx64m} echoes a frame of nearly the
 * default 16 MiB limit, more than once, with either framing; a frame over the limit, or too big for the memory
 * left, is answered with a JSON-RPC error and the pipe goes on. ({@code -Dplumb.memtest.xmx=…},
 * {@code -Dplumb.memtest.bytes=…}, {@code -Dplumb.memtest.jvm=…} change the child's heap, the frame size and add
 * JVM options, for measuring.)
 */
@Timeout(180)
class LargeFrameMemoryTest {

    static final int LIMIT = Framing.DEFAULT_MAX_FRAME_BYTES;
    static final int SIZE = Integer.getInteger("plumb.memtest.bytes", LIMIT - 100);
    static final String XMX = System.getProperty("plumb.memtest.xmx", "64m");
    static final Duration CALL = Duration.ofSeconds(60);

    /** The child: {@link EchoServer} at {@code -Xmx64m} (default GC), with {@code args}. */
    static List<String> command(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("-Xmx" + XMX);
        argv.add("-Xss512k");
        String extra = System.getProperty("plumb.memtest.jvm", "");
        if (!extra.isBlank()) {
            argv.addAll(List.of(extra.trim().split("\\s+")));
        }
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(EchoServer.class.getName());
        argv.addAll(List.of(args));
        return argv;
    }

    /** Params of {@code total} bytes: one ASCII string (no escapes) in an array. */
    static RawJson params(int total, int seed) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.";
        byte[] b = new byte[total];
        b[0] = '[';
        b[1] = '"';
        for (int i = 2; i < total - 2; i++) {
            b[i] = (byte) alphabet.charAt((i * 31 + seed) % alphabet.length());
        }
        b[total - 2] = '"';
        b[total - 1] = ']';
        return RawJson.wrap(b, 0, total);
    }

    /** A client that gives an error without an id to its one call in flight (the server's answer to a dropped frame). */
    private static final RpcDialect IDLESS_TO_SOLE_CALL = RpcDialect.strict().idlessErrorsToSoleCall(true);

    private static void echoNearlyTheLimitTwice(Framing framing, String... args) {
        PipeConnection child = PipeTransport.command(command(args)).framing(framing).name("big-echo")
                .connect().block(CALL);
        RpcPeer peer = RpcPeer.builder(child).timeout(CALL).connect();
        try {
            // the request frame is the params plus about 50 bytes of envelope
            for (int seed = 1; seed <= 2; seed++) {
                RawJson sent = params(SIZE - 60, seed);
                RawJson back = peer.callRaw("echo", sent, CALL).block(CALL);
                assertThat(back).as("try %d", seed).isNotNull();
                assertThat(back.length()).as("try %d", seed).isEqualTo(sent.length());
                assertThat(back.equals(sent)).as("try %d: the reply is the request's text", seed).isTrue();
            }
            assertThat(peer.call("echo", List.of("small"), String[].class).block(CALL)).containsExactly("small");
        } finally {
            peer.dispose();
            child.stop(Duration.ofSeconds(2), Duration.ofSeconds(2)).block(CALL);
        }
    }

    @Test
    void aNewlineFrameOfNearlyTheLimitIsEchoedTwiceAtXmx64m() {
        echoNearlyTheLimitTwice(Framing.newlineDelimited());
    }

    @Test
    void aContentLengthFrameOfNearlyTheLimitIsEchoedTwiceAtXmx64m() {
        echoNearlyTheLimitTwice(Framing.contentLength(), "--content-length");
    }

    @Test
    void aFrameOverTheLimitIsAnsweredWithAnErrorAndThePipeGoesOn() {
        PipeConnection child = PipeTransport.command(command()).name("big-echo").connect().block(CALL);
        // the server cannot read the id of a frame it dropped, so it answers with "id": null; with one call in
        // flight this client gives that error to the call (opt-in: a strict peer drops id-less errors, as
        // vscode-jsonrpc and LSP4J do)
        RpcPeer peer = RpcPeer.builder(child).timeout(CALL).dialect(IDLESS_TO_SOLE_CALL).connect();
        try {
            Throwable e = catchThrowable(() -> peer.callRaw("echo", params(LIMIT + 64 * 1024, 3), CALL).block(CALL));
            assertThat(e).isInstanceOf(RpcErrorException.class);
            assertThat(((RpcErrorException) e).error().code()).isEqualTo(-32600);
            assertThat(peer.call("echo", List.of("small"), String[].class).block(CALL)).containsExactly("small");
        } finally {
            peer.dispose();
            child.stop(Duration.ofSeconds(2), Duration.ofSeconds(2)).block(CALL);
        }
    }

    /**
     * With the frame limit raised to 64 MiB, the heap (64 MiB) is what gives out: a 30 MiB echo leaves no room for
     * its reply (or, with newlines, for assembling the frame), a 60 MiB one none for the frame. Each is answered
     * with a JSON-RPC error, and the pipe goes on, large frames included.
     */
    @Test
    void whenTheHeapCannotHoldAFrameTheCallGetsAnErrorAndThePipeGoesOn() {
        PipeConnection child = PipeTransport.command(command("--max-frame", Integer.toString(64 * 1024 * 1024)))
                .name("big-echo").connect().block(CALL);
        RpcPeer peer = RpcPeer.builder(child).timeout(CALL).dialect(IDLESS_TO_SOLE_CALL).connect();
        try {
            for (int mib : new int[] {30, 60}) {
                Throwable e = catchThrowable(() -> peer.callRaw("echo", params(mib * 1024 * 1024, mib), CALL)
                        .block(CALL));
                assertThat(e).as("%d MiB", mib).isInstanceOf(RpcErrorException.class);
                assertThat(((RpcErrorException) e).error().code()).as("%d MiB: %s", mib, e)
                        .isIn(-32600, -32603);
            }
            RawJson sent = params(SIZE - 60, 7);
            assertThat(peer.callRaw("echo", sent, CALL).block(CALL)).isEqualTo(sent);
            assertThat(child.isAlive()).isTrue();
        } finally {
            peer.dispose();
            child.stop(Duration.ofSeconds(2), Duration.ofSeconds(2)).block(CALL);
        }
    }
}
