package dev.plumb.rpc.pipe.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongSupplier;

/**
 * A side channel for a child server's heap: a daemon thread that twice a second runs a full GC and writes
 * {@code "<live bytes> <peak live bytes> <max heap> <calls handled>"} to a file (replaced atomically). A test reads
 * it with {@link #read(Path)}; the file exists once the server is about to serve.
 */
public final class HeapReporter {

    private HeapReporter() {
    }

    /** One reading of the file. */
    public record Report(long liveBytes, long peakLiveBytes, long maxHeapBytes, long calls) {

        /** The peak, in MiB, for messages. */
        public long peakLiveMiB() {
            return peakLiveBytes >> 20;
        }
    }

    /** Starts the reporter writing to {@code file}; {@code calls} counts the calls the server has handled. */
    public static void start(Path file, LongSupplier calls) {
        Thread t = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            long peak = 0;
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            while (true) {
                try {
                    System.gc();
                    long live = rt.totalMemory() - rt.freeMemory();
                    peak = Math.max(peak, live);
                    Files.writeString(tmp, live + " " + peak + " " + rt.maxMemory() + " " + calls.getAsLong(),
                            StandardCharsets.US_ASCII);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Thread.sleep(500);
                } catch (IOException e) {
                    System.err.println("heap reporter: " + e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-reporter");
        t.setDaemon(true);
        t.start();
    }

    /** The last report written to {@code file}, or null if there is none yet. */
    public static Report read(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            String[] f = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            return new Report(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
