package dev.plumb.coworker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which class-data archive demo pipes get: the one made at package time beside the jar, one cached per jar and
 * JDK, or none — and never one made for another jar or JDK. (Making a real archive needs the packaged jar: the
 * build does that at {@code package} time and says so.)
 */
class ClassDataArchiveTest {

    @TempDir
    Path dir;

    @Test
    void anArchiveBesideTheJarIsUsedOnlyWhileItsKeyMatchesThisJarAndJdk() throws Exception {
        Path jar = Files.writeString(dir.resolve("coworker.jar"), "not really a jar");
        Path cache = dir.resolve("cache");
        Path archive = ClassDataArchive.besideJar(jar);
        assertThat(archive.getFileName().toString()).isEqualTo("coworker.jsa");
        Files.writeString(archive, "archive");
        assertThat(ClassDataArchive.find(jar, cache)).as("no key file").isEmpty();

        Files.writeString(dir.resolve("coworker.jsa.key"), ClassDataArchive.key(jar));
        assertThat(ClassDataArchive.find(jar, cache)).contains(archive);

        // a rebuilt jar (other time stamp) does not fit the old archive: the JVM would refuse it anyway
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        assertThat(ClassDataArchive.find(jar, cache)).isEmpty();
    }

    @Test
    void whereTheJvmCannotMakeAnArchiveThatIsRememberedAndThePipesStartWithoutOne() throws Exception {
        Path jar = Files.writeString(dir.resolve("coworker.jar"), "not a jar: the training pipe cannot start");
        Path cache = dir.resolve("cache");
        ClassDataArchive.Outcome first = ClassDataArchive.findOrCreate(jar, cache);
        assertThat(first.archive()).isEmpty();
        assertThat(first.made()).isFalse();
        assertThat(first.message()).startsWith("demo pipes start without a class-data archive");
        try (var files = Files.list(cache)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement()
                    .satisfies(n -> assertThat(n).startsWith("demo-pipe-").endsWith(".unsupported"));
        }
        ClassDataArchive.Outcome second = ClassDataArchive.findOrCreate(jar, cache);
        assertThat(second.archive()).isEmpty();
        assertThat(second.message()).isEqualTo(first.message()); // not tried again
    }

    @Test
    void aDemoPipeCommandUsesTheArchiveAndTheSharedSqliteLibraryWhenGiven() {
        Path db = dir.resolve("q.db");
        String plain = DemoPipes.command(db, null, null);
        assertThat(plain).contains("dev.plumb.coworker.demo.DemoPipe --db").contains("-XX:TieredStopAtLevel=1")
                .doesNotContain("SharedArchiveFile").doesNotContain("org.sqlite.lib");
        String tuned = DemoPipes.command(db, dir.resolve("a.jsa"), dir.resolve("libsqlitejdbc.so"));
        assertThat(tuned).contains("-XX:SharedArchiveFile=" + dir.resolve("a.jsa"))
                .contains("-Dorg.sqlite.lib.path=" + dir).contains("-Dorg.sqlite.lib.name=libsqlitejdbc.so");
    }
}
