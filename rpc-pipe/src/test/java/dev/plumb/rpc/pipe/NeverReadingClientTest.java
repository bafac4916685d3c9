package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.pipe.testkit.ChildJvm;
import dev.plumb.rpc.pipe.testkit.FloodServer;
import dev.plumb.rpc.pipe.testkit.HeapReporter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8, "flow control and dispatch", part 2: a client that sends calls and never reads the replies must be
 * pushed back (its writes block) instead of growing the server's heap until it runs out, and must not take the
 * server down for anyone else. The server is a real child JVM with a 64 MiB heap ({@link FloodServer}); it
 * reports its live heap (after a full GC, twice a second) through a file.
 */
@Tag("issue-8")
@Timeout(90)
class NeverReadingClientTest {

    /** How many calls the flooding client tries to write: about 100 MB, more than the server's heap. */
    private static final int CALLS = 100_000;
    private static final String PAYLOAD = "x".repeat(1000);
    /** The writer is taken to be pushed back when it has made no progress for this long. */
    private static final Duration STALL = Duration.ofSeconds(3);
    /** How long the flood may run before the test looks (whether or not the writer has stalled). */
    private static final Duration FLOOD = Duration.ofSeconds(15);
    private static final Duration START = Duration.ofSeconds(20);
    /** The live heap the server may reach: three quarters of its 64 MiB. */
    private static final long HEAP_LIMIT = 48L << 20;

    /**
     * stdio: the client writes 100,000 calls to the server's stdin and never reads its stdout. The server must stay
     * within its heap while the client's writes block; when the client stops, closes stdin and reads what is left,
     * the server answers the calls it read and exits.
     */
    @Test
    void overStdioTheWriterIsPushedBackAndTheServerExitsWhenStdinCloses(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("heap");
        try (ChildJvm child = ChildJvm.start(FloodServer.class, FloodServer.SMALL_HEAP, dir.resolve("stderr"),
                "stdio", report.toString())) {
            Process process = child.process();
            awaitReport(report, process);
            FileChannel stdin = openStdin(process);
            Flooder flooder = new Flooder(stdin, "stdin");
            long started = System.nanoTime();
            String phase = waitForStallOrEnd(flooder, process);
            long floodMillis = millisSince(started);
            HeapReporter.Report heap = HeapReporter.read(report);
            boolean aliveWhileFlooded = process.isAlive();
            int written = flooder.written.get();
            System.out.printf("stdio flood: %s after %d ms; %d of %d calls written; child alive %s; %s; OOM %s%n",
                    phase, floodMillis, written, CALLS, aliveWhileFlooded, heap, child.outOfMemoryLines(3));

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(written)
                    .as("calls written into the server's stdin by a client that never reads (%s after %d ms): the"
                            + " pipe should have pushed back", phase, floodMillis)
                    .isLessThan(CALLS);
            softly.assertThat(aliveWhileFlooded).as("the server is alive while flooded").isTrue();
            softly.assertThat(child.outOfMemoryLines(3)).as("out-of-memory errors on the server's stderr").isEmpty();
            softly.assertThat(heap).as("the server's heap report").isNotNull();
            if (heap != null) {
                softly.assertThat(heap.peakLiveBytes())
                        .as("the server's peak live heap, %d MiB of %d MiB", heap.peakLiveMiB(),
                                heap.maxHeapBytes() >> 20)
                        .isLessThan(HEAP_LIMIT);
            }

            // the client stops writing, starts reading what is left and closes stdin (a write still blocked
            // then fails): the server must answer the calls it has read and exit
            flooder.stop = true;
            AtomicLong replies = new AtomicLong();
            Thread drain = startDaemon("drain-stdout", () -> countLines(process.getInputStream(), replies));
            flooder.thread.join(5_000);
            boolean writerUnblocked = !flooder.thread.isAlive();
            long closed = System.nanoTime();
            stdin.close();
            flooder.thread.join(2_000);
            written = flooder.written.get();
            boolean exited = process.waitFor(20, TimeUnit.SECONDS);
            System.out.printf("stdio close: writer unblocked by reading %s; %d calls written in all; exited %s"
                            + " %d ms after stdin closed (code %s); %d replies read%n", writerUnblocked, written,
                    exited, millisSince(closed), exited ? process.exitValue() : "-", replies.get());
            softly.assertThat(writerUnblocked)
                    .as("the writer got unblocked within 5 s of the client starting to read replies (the server"
                            + " reads its stdin again)")
                    .isTrue();
            softly.assertThat(exited).as("the server exited within 20 s of its stdin closing").isTrue();
            if (exited && writerUnblocked) {
                drain.join(5_000);
                softly.assertThat(replies.get())
                        .as("replies read, one per call written before stdin closed")
                        .isEqualTo(written);
            }
            if (exited) {
                softly.assertThat(process.exitValue()).as("the server's exit code").isZero();
            }
            softly.assertThat(child.outOfMemoryLines(3)).as("out-of-memory errors on the server's stderr at the"
                    + " end").isEmpty();
            softly.assertAll();
        }
    }

    /**
     * TCP: one client writes 100,000 calls and never reads. Meanwhile a second client gets its calls answered, the
     * server stays within its heap, and once the first client is gone a third one is served too.
     */
    @Test
    void overTcpOtherClientsAreServedWhileOneNeverReads(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("heap");
        try (ChildJvm child = ChildJvm.start(FloodServer.class, FloodServer.SMALL_HEAP, dir.resolve("stderr"),
                "tcp", report.toString())) {
            Process process = child.process();
            int port = readPort(process);
            awaitReport(report, process);
            SocketChannel flooding = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            Flooder flooder = new Flooder(flooding, "socket");
            long started = System.nanoTime();
            String phase = waitForStallOrEnd(flooder, process);
            long floodMillis = millisSince(started);
            HeapReporter.Report heapWhileFlooded = HeapReporter.read(report);
            int written = flooder.written.get();
            System.out.printf("tcp flood: %s after %d ms; %d of %d calls written; child alive %s; %s; OOM %s%n",
                    phase, floodMillis, written, CALLS, process.isAlive(), heapWhileFlooded,
                    child.outOfMemoryLines(3));

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(written)
                    .as("calls written into the socket by a client that never reads (%s after %d ms): TCP should"
                            + " have pushed back, or the server dropped that client", phase, floodMillis)
                    .isLessThan(CALLS);
            softly.assertThat(child.outOfMemoryLines(3)).as("out-of-memory errors on the server's stderr while"
                    + " one client floods it").isEmpty();
            long second = System.nanoTime();
            String secondClient = callsFromANewClient(port, "second");
            System.out.printf("tcp second client: %s after %d ms%n", secondClient, millisSince(second));
            softly.assertThat(secondClient)
                    .as("a second client's five calls, answered within 5 s while the first client floods (%s)",
                            phase)
                    .isEqualTo("ok");

            flooding.close();
            flooder.thread.join(5_000);
            long third = System.nanoTime();
            String thirdClient = callsFromANewClient(port, "third");
            System.out.printf("tcp third client: %s after %d ms%n", thirdClient, millisSince(third));
            softly.assertThat(thirdClient)
                    .as("a third client's five calls, answered within 5 s after the flooding client left")
                    .isEqualTo("ok");
            HeapReporter.Report heap = HeapReporter.read(report);
            softly.assertThat(process.isAlive()).as("the server is alive at the end").isTrue();
            softly.assertThat(child.outOfMemoryLines(3)).as("out-of-memory errors on the server's stderr at the"
                    + " end").isEmpty();
            softly.assertThat(heap).as("the server's heap report").isNotNull();
            if (heap != null) {
                softly.assertThat(heap.peakLiveBytes())
                        .as("the server's peak live heap, %d MiB of %d MiB", heap.peakLiveMiB(),
                                heap.maxHeapBytes() >> 20)
                        .isLessThan(HEAP_LIMIT);
            }
            closeQuietly(process.getOutputStream());
            process.waitFor(5, TimeUnit.SECONDS);
            softly.assertAll();
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /**
     * Writes the calls on a thread of its own, about 64 KiB at a time, until all are written or {@link #stop} is
     * set; {@link #written} counts the calls whose bytes have all been written.
     */
    private static final class Flooder {
        final AtomicInteger written = new AtomicInteger();
        final Thread thread;
        volatile boolean stop;
        volatile IOException failure;

        Flooder(WritableByteChannel out, String what) {
            thread = startDaemon("flood-" + what, () -> {
                try {
                    ByteBuffer batch = ByteBuffer.allocate(1 << 16);
                    int inBatch = 0;
                    for (int i = 0; i < CALLS && !stop; i++) {
                        byte[] frame = frame(i);
                        if (batch.remaining() < frame.length) {
                            writeFully(out, batch);
                            written.addAndGet(inBatch);
                            inBatch = 0;
                        }
                        batch.put(frame);
                        inBatch++;
                    }
                    writeFully(out, batch);
                    written.addAndGet(inBatch);
                } catch (IOException e) {
                    failure = e;
                }
            });
        }

        private static void writeFully(WritableByteChannel out, ByteBuffer batch) throws IOException {
            batch.flip();
            while (batch.hasRemaining()) {
                out.write(batch);
            }
            batch.clear();
        }
    }

    private static byte[] frame(int i) {
        return ("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[" + i + ",\"" + PAYLOAD + "\"],\"id\":" + i
                + "}\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Waits until the writer has made no progress for {@link #STALL}, has ended, the server has died, or
     * {@link #FLOOD} has passed; says which.
     */
    private static String waitForStallOrEnd(Flooder flooder, Process process) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + FLOOD.toNanos();
        int last = -1;
        long lastChange = start;
        while (true) {
            long now = System.nanoTime();
            if (!flooder.thread.isAlive()) {
                return flooder.failure != null ? "the writer failed (" + flooder.failure + ")"
                        : "the writer wrote every call";
            }
            if (!process.isAlive()) {
                return "the server died (exit " + process.exitValue() + ")";
            }
            int w = flooder.written.get();
            if (w != last) {
                last = w;
                lastChange = now;
            } else if (now - lastChange >= STALL.toNanos()) {
                return "the writer stalled";
            }
            if (now > deadline) {
                return "the writer was still writing";
            }
            Thread.sleep(100);
        }
    }

    /** Waits for the server's first heap report, which it writes when it is about to serve. */
    private static void awaitReport(Path report, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (HeapReporter.read(report) == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the server did not start (alive " + process.isAlive() + ")");
            }
            Thread.sleep(50);
        }
    }

    /**
     * A channel writing into the child's stdin pipe, opened anew through {@code /proc/PID/fd/0} (Linux), so that
     * the test can close stdin while a write into the full pipe is blocked (closing the {@link Process}'s own
     * stream would wait for that write); the process's own stream is closed at once, leaving this the only writer.
     */
    private static FileChannel openStdin(Process process) throws IOException {
        FileChannel channel = FileChannel.open(Path.of("/proc/" + process.pid() + "/fd/0"),
                StandardOpenOption.WRITE);
        process.getOutputStream().close();
        return channel;
    }

    /** Reads the {@code port N} line the TCP server prints. */
    private static int readPort(Process process) throws Exception {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(START.toSeconds(), TimeUnit.SECONDS);
        if (line == null || !line.startsWith("port ")) {
            throw new AssertionError("the server printed no port: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    /** Connects a Plumb client and makes five echo calls; "ok" if all were answered right within 5 s. */
    private static String callsFromANewClient(int port, String tag) {
        try {
            Boolean ok = TcpTransport.connect("127.0.0.1", port)
                    .flatMap(connection -> {
                        RpcPeer peer = RpcPeer.builder(connection).name(tag).connect();
                        return Flux.range(0, 5)
                                .concatMap(i -> peer.call("echo", List.of(tag, i), JsonNode.class)
                                        .map(n -> n.get(0).asString().equals(tag) && n.get(1).asInt() == i))
                                .all(b -> b)
                                .doFinally(s -> peer.dispose());
                    })
                    .timeout(Duration.ofSeconds(5))
                    .onErrorResume(e -> Mono.error(new IllegalStateException(e.toString(), e)))
                    .block();
            return Boolean.TRUE.equals(ok) ? "ok" : "wrong answers";
        } catch (RuntimeException e) {
            return "failed: " + e.getMessage();
        }
    }

    private static void countLines(InputStream in, AtomicLong lines) {
        byte[] buf = new byte[1 << 16];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                long c = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        c++;
                    }
                }
                lines.addAndGet(c);
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    private static Thread startDaemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // already closed by the other side
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
