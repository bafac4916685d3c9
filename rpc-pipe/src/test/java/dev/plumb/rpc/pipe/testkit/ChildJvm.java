package dev.plumb.rpc.pipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A test-source main class run as a real child JVM with the test classpath, its stderr going to a file (so that
 * nobody has to read it while the child runs, and so that the test can look for {@code OutOfMemoryError} in it).
 */
public final class ChildJvm implements AutoCloseable {

    /** Any out-of-memory error a JVM or Netty reports ({@code OutOfMemoryError}, {@code OutOfDirectMemoryError}). */
    private static final Pattern OOM = Pattern.compile("OutOf\\w*MemoryError");

    private final Process process;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** The argv that runs {@code main} in a new JVM with the current classpath, {@code jvmOptions} and {@code args}. */
    public static List<String> command(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("-Xss512k");
        argv.add("-XX:TieredStopAtLevel=1");
        argv.add("-XX:+UseSerialGC");
        argv.add("-Xshare:auto");
        argv.addAll(jvmOptions);
        argv.add(main.getName());
        argv.addAll(List.of(args));
        return argv;
    }

    /** Starts {@code main} with its stderr going to {@code stderr}; stdin and stdout are pipes to this process. */
    public static ChildJvm start(Class<?> main, List<String> jvmOptions, Path stderr, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(main, jvmOptions, args));
        pb.redirectError(stderr.toFile());
        try {
            return new ChildJvm(pb.start(), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** What the child has written to stderr so far. */
    public String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stderr lines that mention an out-of-memory error (at most {@code max}), for failure messages. */
    public List<String> outOfMemoryLines(int max) {
        return stderr().lines().filter(l -> OOM.matcher(l).find()).limit(max).toList();
    }

    /** The last {@code n} lines of stderr, for failure messages. */
    public String stderrTail(int n) {
        List<String> lines = stderr().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** Kills the child (SIGKILL) if it still runs, and waits a little for it to go. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
