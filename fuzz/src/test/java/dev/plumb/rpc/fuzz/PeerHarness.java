package dev.plumb.rpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One fuzz input through a whole {@link RpcPeer}: the bytes are split into lines as a pipe would deliver them, every
 * line is fed to a fresh peer with the fuzz router and the given dialect, and what the peer sends back is checked.
 */
final class PeerHarness {

    /** A small frame limit, so that the fuzzer reaches the over-the-limit path. */
    static final int MAX_FRAME = 4096;

    private static final RpcRouter ROUTER = FuzzRouter.build();

    final ScriptedConnection connection = new ScriptedConnection();
    final RpcPeer peer;
    final List<byte[]> frames = new ArrayList<>();
    final Set<JsonNode> ids = new HashSet<>();

    private final RpcDialect dialect;

    PeerHarness(RpcDialect dialect) {
        LoggedErrors.clear();
        this.dialect = dialect;
        peer = RpcPeer.builder(connection).router(ROUTER).dialect(dialect).timeout(Duration.ofSeconds(30))
                .name("fuzz").connect();
    }

    /**
     * Splits {@code input} into lines and feeds them to the peer. The fuzz router's handlers answer at once, so
     * only a stream waiting for credit may still run afterwards; that is given a moment and then left to the close.
     */
    void feed(byte[] input) {
        FrameDecoder lines = Framing.newlineDelimited(MAX_FRAME).newDecoder();
        lines.feed(input, 0, input.length, frames::add);
        lines.end(frames::add);
        for (byte[] frame : frames) {
            if (frame != RpcConnection.OVERSIZED_FRAME) {
                ids.addAll(ReplyCheck.requestIds(unprefixed(frame)));
            }
            connection.receive(frame);
        }
        awaitNoneRunning(Duration.ofMillis(50));
    }

    private byte[] unprefixed(byte[] frame) {
        int offset = dialect.messageOffset(frame);
        return offset == 0 ? frame : java.util.Arrays.copyOfRange(frame, offset, frame.length);
    }

    private boolean awaitNoneRunning(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (peer.runningCount() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** The frames the peer sent that are replies (not its own calls and notifications). */
    List<byte[]> replies() {
        List<byte[]> replies = new ArrayList<>();
        synchronized (connection.sent) {
            for (byte[] f : connection.sent) {
                if (!isOwnMessage(f)) {
                    replies.add(f);
                }
            }
        }
        return replies;
    }

    private static boolean isOwnMessage(byte[] frame) {
        String s = new String(frame, 0, Math.min(frame.length, 64), java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.startsWith("{\"jsonrpc\":\"2.0\",\"method\"") || s.startsWith("{\"jsonrpc\":\"2.0\",\"id\":")
                && s.contains("\"method\"");
    }

    /** Closes the peer and checks that nothing is left pending and nothing was logged as an error. */
    void close() {
        peer.dispose();
        assertThat(peer.pendingCount()).as("calls pending after close").isZero();
        if (!awaitNoneRunning(Duration.ofSeconds(10))) {
            throw new AssertionError("inbound calls still run 10 s after the close: " + peer.runningCount());
        }
        LoggedErrors.assertNone();
    }
}
