package dev.plumb.coworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The option tables of README.md and docs/coworker.md, {@code run --help} and {@code run}'s flags all say what
 * {@link CoworkerOption} says. When a table differs, the failure prints the table to paste.
 */
class CoworkerOptionTablesTest {

    private static final String BEGIN = "<!-- coworker options: generated from CoworkerOption, checked by CoworkerOptionTablesTest -->";
    private static final String END = "<!-- end of coworker options -->";

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/coworker.md"})
    void theDocumentedTableIsTheOneTheCodeDefines(String doc) throws IOException {
        String text = Files.readString(projectRoot().resolve(doc));
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as(doc + " marks its option table with " + BEGIN).isNotNegative();
        assertThat(end).as(doc + " ends its option table with " + END).isGreaterThan(begin);
        String table = text.substring(begin + BEGIN.length(), end).strip() + "\n";
        assertThat(table).as("the option table of " + doc + " (generate it with CoworkerOption.markdownTable())")
                .isEqualTo(CoworkerOption.markdownTable());
    }

    @Test
    void runHelpListsEveryOptionWithItsEnvironmentVariableAndDefault() {
        String help = new CommandLine(new RunCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF)
                .replaceAll("\\s+", "");   // picocli wraps the text anywhere
        for (CoworkerOption<?> o : CoworkerOption.all()) {
            String entry = o.name() + o.environment() + ",default" + o.shownDefault() + "." + o.help();
            assertThat(help).contains(entry.replace("`", "").replaceAll("\\s+", ""));
        }
    }

    @Test
    void everyFlagAnOptionNamesExistsOnRun() {
        CommandSpec run = new CommandLine(new RunCommand()).getCommandSpec();
        for (CoworkerOption<?> o : CoworkerOption.all()) {
            for (String flag : o.flagList()) {
                assertThat(run.findOption(flag.split(" ")[0])).as(o.name() + "'s flag " + flag).isNotNull();
            }
        }
    }

    private static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) && Files.exists(here.resolve("examples")) ? here : here.getParent();
    }
}
