package dev.plumb.coworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coworker run} in a pseudo-terminal, as a person at a terminal sees it: util-linux {@code script} gives the
 * process a pty (120 × 30, {@code TERM=xterm-256color}) and records every byte written to it.
 */
@Timeout(120)
class RunOnATerminalTest {

    private static final Path SCRIPT = Path.of("/usr/bin/script");

    @TempDir
    Path dir;

    @Test
    void theProgressBarStaysAtTheBottomWhileLogLinesScrollAboveItAndTheSummaryIsATable() throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script(1) is not installed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String coworker = RunCommand.quote(java) + " -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
                + RunCommand.quote(System.getProperty("java.class.path"))
                + " dev.plumb.coworker.Main run --demo-tasks 40 -d pollInterval=0.2";
        Path transcript = dir.resolve("transcript");
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qfec",
                "stty cols 120 rows 30; exec " + coworker, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(transcript.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("COWORKER_"));
        pb.environment().put("TERM", "xterm-256color");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(100, TimeUnit.SECONDS)).as("coworker run in a pty finished").isTrue();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String screen = Files.readString(transcript, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(screen).isZero();
        // the progress area: a scroll region that leaves the bottom lines to it, per-queue bars and a total line
        assertThat(screen).containsPattern("\u001b\\[1;2[0-9]r");
        String text = withoutEscapes(screen);
        assertThat(text).containsPattern("demo-1 +[█░#-]{10,} +\\d+/\\d+ +ok \\d+ +retry \\d+ +failed \\d+");
        assertThat(text).containsPattern("total +\\d+ of \\d+ claimed done . \\d+ running . [0-9.]+/s . \\d:\\d\\d");
        // log lines still scroll by above it
        assertThat(text).contains("INFO").contains("coworker starting");
        // the summary: a table per queue, after the progress area is gone (scroll region back to the whole screen)
        int summary = screen.indexOf("coworker summary: queues empty");
        assertThat(summary).isPositive();
        assertThat(lastMatch(screen.substring(0, summary), "\u001b\\[1;30r"))
                .as("the whole screen is given back before the summary")
                .isGreaterThan(lastMatch(screen.substring(0, summary), "\u001b\\[1;(1[0-9]|2[0-9])r"));
        assertThat(withoutEscapes(screen.substring(summary))).doesNotContain("claimed done");
        List<String> table = withoutEscapes(screen.substring(summary)).lines().map(String::strip).toList();
        assertThat(table.get(1)).matches("queue +claimed +ok +retry +failed +task p50 +task p95");
        assertThat(table).anyMatch(l -> l.matches("demo-1 +\\d+ +\\d+ +\\d+ +\\d+ +[0-9.]+ ms +[0-9.]+ ms"));
        assertThat(table).anyMatch(l -> l.matches("all +48 +36 +8 +4 +[0-9.]+ ms +[0-9.]+ ms"));
    }

    private static int lastMatch(String s, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(s);
        int last = -1;
        while (m.find()) {
            last = m.start();
        }
        return last;
    }

    /** The transcript without terminal control sequences (what is left is the text drawn). */
    private static String withoutEscapes(String s) {
        return s.replaceAll("\u001b\\[[0-9;?$<>=]*[ -/]*[@-~]", "").replaceAll("\u001b[78=>]", "")
                .replaceAll("\u001b\\][^\u0007]*\u0007", "").replace("\r", "");
    }
}
