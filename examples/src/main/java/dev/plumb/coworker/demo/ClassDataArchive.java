package dev.plumb.coworker.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A class-data-sharing archive (AppCDS, {@code -XX:ArchiveClassesAtExit}) of the classes a {@link DemoPipe}
 * loads, so that each of the demo's many pipe JVMs maps them instead of loading, verifying and linking them again
 * (about half of a pipe's start-up CPU).
 *
 * <p>An archive fits one jar file (path, size, time) and one JDK; its {@code .key} file records which. The build
 * makes {@code coworker.jsa} next to {@code coworker.jar} at {@code package} time ({@link #main}); when that one
 * does not fit (another JDK, a copied jar), coworker makes one on first use in
 * {@code $XDG_CACHE_HOME/coworker} (or {@code ~/.cache/coworker}), once per jar and JDK. Where the JVM cannot
 * make one, that is remembered there too and the pipes start without it. Nothing here ever fails a build or a
 * run: the worst case is a demo as slow as without an archive.
 */
public final class ClassDataArchive {

    /** How a failure starts when the JVM ran and made no archive: that will not change, so it is remembered. */
    private static final String NO_ARCHIVE = "the JVM made no archive";

    /** What {@link #findOrCreate} found or made, and a line for the log. */
    public record Outcome(Optional<Path> archive, String message, boolean made) {
    }

    private ClassDataArchive() {
    }

    /**
     * Package time: {@code ClassDataArchive JAR OUT.jsa} makes {@code OUT.jsa} and {@code OUT.jsa.key} for
     * {@code JAR}, printing one line. Always exits 0: a JVM without class-data sharing gets no archive, not a
     * failed build.
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.out.println("usage: ClassDataArchive JAR OUT.jsa");
            return;
        }
        Path jar = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        String failure = create(jar, out, Duration.ofSeconds(120));
        if (failure == null) {
            System.out.printf(java.util.Locale.ROOT, "coworker: made the demo pipes' class-data archive %s in %.1f s%n",
                    out, (System.nanoTime() - t0) / 1e9);
        } else {
            System.out.println("coworker: no class-data archive for the demo pipes (" + failure
                    + "); they start without one");
        }
        System.exit(0);
    }

    /** What an archive for {@code jar} and this JVM must match: the JDK, the jar file and the pipe flags. */
    public static String key(Path jar) {
        String attrs;
        try {
            BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
            attrs = a.size() + "@" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            attrs = "unreadable";
        }
        return "java.home=" + System.getProperty("java.home") + "\njava.vm.version="
                + System.getProperty("java.vm.version") + "\njar=" + jar.toAbsolutePath().normalize() + "\njar.file="
                + attrs + "\nflags=" + String.join(" ", DemoPipes.JVM_FLAGS) + "\n";
    }

    /** The archive made at package time next to {@code jar} ({@code coworker.jar} → {@code coworker.jsa}). */
    public static Path besideJar(Path jar) {
        String name = jar.getFileName().toString();
        return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".jsa");
    }

    /** Where archives made on first use are kept. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("coworker");
    }

    /** An archive for {@code jar} and this JVM that is already there: beside the jar, or in {@code cache}. */
    public static Optional<Path> find(Path jar, Path cache) {
        String key = key(jar);
        Path beside = besideJar(jar);
        if (fits(beside, key)) {
            return Optional.of(beside);
        }
        Path cached = cache.resolve("demo-pipe-" + hash(key) + ".jsa");
        return fits(cached, key) ? Optional.of(cached) : Optional.empty();
    }

    /**
     * The archive for {@code jar} and this JVM: one that is there ({@link #find}), else one made now in
     * {@code cache} (a second or two, once), else none — when this JVM cannot make one, which is remembered.
     */
    public static Outcome findOrCreate(Path jar, Path cache) {
        Optional<Path> found = find(jar, cache);
        if (found.isPresent()) {
            return new Outcome(found, "demo pipes use the class-data archive " + found.get(), false);
        }
        String key = key(jar);
        String stem = "demo-pipe-" + hash(key);
        Path unsupported = cache.resolve(stem + ".unsupported");
        if (Files.exists(unsupported)) {
            return new Outcome(Optional.empty(), "demo pipes start without a class-data archive (" + readOr(unsupported,
                    "this JVM could not make one") + ")", false);
        }
        Path target = cache.resolve(stem + ".jsa");
        String failure;
        try {
            Files.createDirectories(cache);
            failure = create(jar, target, Duration.ofSeconds(60));
        } catch (IOException e) {
            failure = "cannot write " + cache + ": " + e.getMessage();
        }
        if (failure == null) {
            return new Outcome(Optional.of(target), "made a class-data archive for the demo pipes (once for this "
                    + "jar and JDK): " + target, true);
        }
        if (failure.startsWith(NO_ARCHIVE)) { // not for a timeout or a full disk: those may pass
            try {
                Files.writeString(unsupported, failure);
            } catch (IOException ignored) {
                // tried again next time
            }
        }
        return new Outcome(Optional.empty(), "demo pipes start without a class-data archive (" + failure + ")", false);
    }

    /**
     * Makes {@code out} (and {@code out.key}) by running a {@link DemoPipe} of {@code jar} through a short
     * session like the ones coworker has with it (options, getFields, get, login, claims and runs of every task
     * kind) and dumping its classes at exit. Returns null on success, else why not.
     */
    static String create(Path jar, Path out, Duration timeout) {
        Path work = null;
        Process p = null;
        try {
            work = Files.createTempDirectory("coworker-cds-");
            Path db = work.resolve("training.db");
            try (DemoQueueStore store = DemoQueueStore.open(db)) {
                new DemoSeed(40, "mixed", 1, 1, 1, 8, 60, 1).applyTo(store);
            }
            Path tmp = work.resolve("archive.jsa");
            List<String> argv = new ArrayList<>(DemoPipes.argv(db, null, null));
            argv.add(1, "-XX:ArchiveClassesAtExit=" + tmp);
            int cp = argv.indexOf("-cp");
            argv.set(cp + 1, jar.toString());
            p = new ProcessBuilder(argv).redirectError(work.resolve("stderr.txt").toFile()).start();
            long deadline = System.nanoTime() + timeout.toNanos();
            Process child = p;
            Thread watchdog = new Thread(() -> {
                try {
                    if (!child.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                        child.destroyForcibly(); // a hung training pipe must not hang the build
                    }
                } catch (InterruptedException ignored) {
                    // the caller is done with it
                }
            }, "cds-training-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                train(p, deadline);
            } catch (IOException e) {
                // the pipe went away or stalled: its exit code and stderr below say why
                try {
                    p.getOutputStream().close();
                } catch (IOException ignored) {
                    // already closed by the child's exit
                }
            }
            if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return "the training pipe did not exit within " + timeout.toSeconds() + " s";
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp) || Files.size(tmp) == 0) {
                String err = Files.readString(work.resolve("stderr.txt")).strip();
                return NO_ARCHIVE + " (exit " + p.exitValue() + (err.isEmpty() ? "" : ": "
                        + err.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse("")) + ")";
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(out.resolveSibling(out.getFileName() + ".key"), key(jar));
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            deleteTree(work);
        }
    }

    /** The session: what coworker's control pipe and a pool pipe ask of a demo pipe, every task kind once. */
    private static void train(Process p, long deadline) throws IOException {
        JsonMapper json = JsonMapper.builder().build(); // here, not in a static: find() needs no mapper
        OutputStream in = p.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        out.readLine(); // the welcome header
        int[] id = {0};
        Call call = (method, params) -> {
            if (System.nanoTime() > deadline) {
                throw new IOException("training took too long");
            }
            String req = json.writeValueAsString(java.util.Map.of("jsonrpc", "2.0", "id", ++id[0], "method", method,
                    "params", params));
            in.write((req + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the training pipe closed its output");
            }
            return json.readTree(line);
        };
        call.call("options", json.readTree("{\"apiCheckPermissions\":false}"));
        call.call("api4", json.readTree("[\"Queue\",\"getFields\",{\"select\":[\"name\"]}]"));
        call.call("api4", json.readTree("[\"Queue\",\"get\",{\"where\":[[\"runner\",\"IS NOT EMPTY\"],"
                + "[\"status\",\"=\",\"active\"]]}]"));
        call.call("login", json.readTree("{\"contactId\":101}"));
        call.call("echo", json.readTree("[1]"));
        for (int round = 0; round < 12; round++) {
            JsonNode claimed = call.call("api4", json.readTree("[\"Queue\",\"claimItems\",{\"queue\":\"demo-1\","
                    + "\"select\":[\"id\",\"queue\",\"run_as\"]}]")).path("result");
            if (!claimed.isArray() || claimed.isEmpty()) {
                break;
            }
            var items = json.createArrayNode();
            for (JsonNode it : claimed) {
                items.addObject().put("id", it.path("id").asLong()).put("queue", "demo-1");
            }
            var params = json.createArrayNode().add("Queue").add("runItems");
            params.addObject().put("checkPermissions", false).set("items", items);
            call.call("api4", params);
        }
        call.call("api4", json.readTree("[\"Queue\",\"nope\"]")); // an API error, as a reply
        in.close();
    }

    @FunctionalInterface
    private interface Call {
        JsonNode call(String method, Object params) throws IOException;
    }

    private static boolean fits(Path archive, String key) {
        Path keyFile = archive.resolveSibling(archive.getFileName() + ".key");
        try {
            return Files.isRegularFile(archive) && Files.size(archive) > 0 && Files.isRegularFile(keyFile)
                    && Files.readString(keyFile).equals(key);
        } catch (IOException e) {
            return false;
        }
    }

    private static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            return Integer.toHexString(key.hashCode());
        }
    }

    private static String readOr(Path p, String fallback) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return fallback;
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
