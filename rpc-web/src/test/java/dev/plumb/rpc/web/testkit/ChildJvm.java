package dev.plumb.rpc.web.testkit;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test server in its own JVM (the test classpath, the given JVM options), started and stopped by a test. Its
 * stderr is kept, to be shown when something fails.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader stdout;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private ChildJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread drain = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = process.getErrorStream().read(buf)) >= 0) {
                    synchronized (stderr) {
                        stderr.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "child-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /** The argv that runs {@code mainClass} with {@code jvmOptions} and the test classpath, then {@code args}. */
    public static List<String> command(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(mainClass.getName());
        argv.addAll(List.of(args));
        return argv;
    }

    /** Starts {@code mainClass} in a new JVM. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        return new ChildJvm(new ProcessBuilder(command(jvmOptions, mainClass, args)).start());
    }

    /** Reads the child's stdout up to a line starting with {@code prefix}; the rest of that line. */
    public String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = stdout.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        throw new IOException("the child ended before printing '" + prefix + "'; stderr:\n" + stderr());
    }

    /** Whether the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the child wrote to stderr so far. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Closes the child's stdin (its signal to stop), then kills it if it has not ended within 5 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
