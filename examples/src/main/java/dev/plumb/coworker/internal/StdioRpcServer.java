package dev.plumb.coworker.internal;

import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcRouter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves a router on a process's stdin/stdout the way {@code Civi::pipe()} does: an optional welcome header
 * line first, then one request at a time, in order, each reply on its own line (with an optional response
 * prefix); EOF on stdin ends the loop. Only protocol goes to {@code out}.
 *
 * <p>This is the blocking main-thread loop of a pipe peer process (the demo queue, the spec server); it is
 * what {@code rpc-pipe}'s {@code StdioServer} does, kept here so the examples do not wait for it.
 */
public final class StdioRpcServer {

    private final RpcRouter router;
    private final String welcomeHeader;
    private final Supplier<String> responsePrefix;
    private final int maxFrameBytes;

    /** A server for {@code router}; {@code welcomeHeader} may be null; {@code responsePrefix} may return null. */
    public StdioRpcServer(RpcRouter router, String welcomeHeader, Supplier<String> responsePrefix,
                          int maxFrameBytes) {
        this.router = router;
        this.welcomeHeader = welcomeHeader;
        this.responsePrefix = responsePrefix == null ? () -> null : responsePrefix;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Runs until EOF on {@code in}; blocks the calling (main) thread. */
    public void serve(InputStream in, OutputStream out) throws IOException {
        if (welcomeHeader != null) {
            out.write(welcomeHeader.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
        }
        FrameDecoder decoder = Framing.newlineDelimited(maxFrameBytes).newDecoder();
        byte[] buf = new byte[64 * 1024];
        List<byte[]> frames = new ArrayList<>();
        int n;
        while ((n = in.read(buf)) >= 0) {
            decoder.feed(buf, 0, n, frames::add);
            answerAll(frames, out);
        }
        decoder.end(frames::add);
        answerAll(frames, out);
    }

    private void answerAll(List<byte[]> frames, OutputStream out) throws IOException {
        for (byte[] frame : frames) {
            byte[] reply = answer(frame);
            if (reply != null) {
                String prefix = responsePrefix.get();
                if (prefix != null) {
                    out.write(prefix.getBytes(StandardCharsets.UTF_8));
                }
                out.write(reply);
                out.write('\n');
            }
        }
        if (!frames.isEmpty()) {
            out.flush();
        }
        frames.clear();
    }

    private byte[] answer(byte[] frame) {
        if (frame == RpcConnection.OVERSIZED_FRAME) {
            return router.codec().encodeError(RpcId.NULL, RpcError.invalidRequest("frame too large"));
        }
        if (frame.length == 0 || (frame.length == 1 && frame[0] == '0')) {
            return null; // Civi::pipe ignores empty lines and the line "0"
        }
        // blocking is fine here: this is the process's main thread, not a Reactor thread
        return router.respond(frame).block(Duration.ofHours(1));
    }
}
