package dev.plumb.coworker.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How coworker starts its demo pipes: {@link DemoPipe} in a JVM tuned for a short life (C1 only, serial GC, small
 * heap), with a class-data-sharing archive of the demo pipe's classes when there is one for this jar and JDK
 * ({@link ClassDataArchive}), and with SQLite's native library extracted once per run instead of once per pipe.
 * Real pipes ({@code cv pipe}) are never touched by any of this.
 */
public final class DemoPipes {

    /** The JVM flags of every demo pipe (the class-data archive is made with the same ones). */
    public static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-Xmx128m", "-XX:-UsePerfData",
            // JVM warnings (e.g. an archive that does not fit) go to stderr, never into the protocol on stdout
            "-Xlog:disable", "-Xlog:all=warning:stderr");

    private DemoPipes() {
    }

    /** The java launcher of this JVM. */
    public static Path javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The jar this code was loaded from, or empty when it runs from class folders (tests, an IDE). */
    public static Optional<Path> codeJar() {
        try {
            var source = DemoPipe.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
            return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar") ? Optional.of(p)
                    : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The argument vector of a demo pipe on {@code db}: this JVM's launcher, {@link #JVM_FLAGS}, the archive
     * and SQLite library folder when given, the class path (the code jar if there is one, else this JVM's class
     * path) and {@link DemoPipe}.
     */
    public static List<String> argv(Path db, Path archive, Path sqliteLibrary) {
        List<String> argv = new ArrayList<>();
        argv.add(javaLauncher().toString());
        argv.addAll(JVM_FLAGS);
        if (archive != null) {
            argv.add("-XX:SharedArchiveFile=" + archive);
        }
        if (sqliteLibrary != null) {
            argv.add("-Dorg.sqlite.lib.path=" + sqliteLibrary.getParent());
            argv.add("-Dorg.sqlite.lib.name=" + sqliteLibrary.getFileName());
        }
        argv.add("-cp");
        argv.add(codeJar().map(Path::toString).orElse(System.getProperty("java.class.path")));
        argv.add(DemoPipe.class.getName());
        argv.add("--db");
        argv.add(db.toAbsolutePath().toString());
        return argv;
    }

    /** {@link #argv} as one {@code sh} command line. */
    public static String command(Path db, Path archive, Path sqliteLibrary) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv(db, archive, sqliteLibrary)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.matches("[A-Za-z0-9_./:=+,@%-]+") ? a : quote(a));
        }
        return sb.toString();
    }

    /** Quotes {@code s} for {@code sh}. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Copies SQLite's native library for this platform out of the jar into {@code dir}, so that every demo pipe
     * loads it from there ({@code org.sqlite.lib.path}) instead of extracting its own copy; empty when this
     * platform's library is not in the jar (each pipe then does what sqlite-jdbc does by default).
     */
    public static Optional<Path> extractSqliteLibrary(Path dir) {
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            if (name.endsWith(".jnilib")) {
                name = name.replace(".jnilib", ".dylib");
            }
            String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
                    + "/" + name;
            try (InputStream in = org.sqlite.JDBC.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return Optional.empty();
                }
                Path target = dir.resolve(name);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(target);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
