package dev.plumb.coworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code coworker call} against {@code spec-server} and {@code demo-queue}, each a real process. */
@Timeout(60)
class CallAndSpecServerTest {

    @TempDir
    Path dir;

    private static String javaMain(String args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return RunCommand.quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
                + RunCommand.quote(System.getProperty("java.class.path")) + " dev.plumb.coworker.Main " + args;
    }

    @Test
    void callOverAPipePrintsTheResultOnStdout() throws Exception {
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call", "call", "--no-header", "--pipe",
                javaMain("spec-server --stdio"), "subtract", "{\"subtrahend\":23,\"minuend\":42}")) {
            assertThat(p.waitFor(30)).as(p.err()).isZero();
            assertThat(p.out().trim()).isEqualTo("19");
        }
    }

    @Test
    void callDetectsThatAPipeSendsNoWelcomeHeaderAndGetsItsAnswerWithoutWaitingForOne() throws Exception {
        // before: call waited for a header the spec server never sends, and failed after --timeout
        long t0 = System.nanoTime();
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call", "call", "--timeout", "25", "--pipe",
                javaMain("spec-server --stdio"), "subtract", "[42,23]")) {
            assertThat(p.waitFor(30)).as(p.err()).isZero();
            assertThat(p.out().trim()).isEqualTo("19");
        }
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(25));
    }

    @Test
    void callPrintsTheErrorObjectAsTheServerSentItOnStderrAndExitsOne() throws Exception {
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call", "call", "--pipe",
                javaMain("spec-server --stdio"), "no_such_method")) {
            assertThat(p.waitFor(30)).isEqualTo(1);
            // no "data":null: the server sent no data
            assertThat(p.err().strip()).isEqualTo("{\"code\":-32601,\"message\":\"Method not found\"}");
            assertThat(p.out()).isEmpty();
        }
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call2", "call", "--pipe",
                javaMain("spec-server --stdio"), "subtract", "[\"a\",\"b\"]")) {
            assertThat(p.waitFor(30)).isEqualTo(1);
            assertThat(p.err().strip()).startsWith("{\"code\":-32602,\"message\":\"Invalid params\",\"data\":");
        }
    }

    @Test
    void aPipeThatNeverAnswersTimesOutSayingWhatWasWaitedForAndWhatToTry() throws Exception {
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call", "call", "--timeout", "1", "--pipe",
                "cat > /dev/null", "subtract", "[42,23]")) {
            assertThat(p.waitFor(30)).isEqualTo(1);
            assertThat(p.err())
                    .contains("call failed: no reply to subtract within 1 s from the pipe")
                    .contains("still running")
                    .contains("It sent no welcome header and nothing else on stdout")
                    .contains("a longer --timeout")
                    .contains("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"subtract\",\"params\":[42,23]}")
                    .doesNotContain("NANOSECONDS");
        }
        String header = "{\"Civi::pipe\":{\"v\":\"5.80.0\",\"t\":\"trusted\",\"l\":[\"login\"]}}";
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call2", "call", "--timeout", "1", "--pipe",
                "echo '" + header + "'; cat > /dev/null", "echo", "[1]")) {
            assertThat(p.waitFor(30)).isEqualTo(1);
            assertThat(p.err()).contains("no reply to echo within 1 s")
                    .contains("It sent the welcome header " + header + " and then nothing else");
        }
    }

    @Test
    void aPipeThatExitsBeforeItRepliesIsReportedWithItsExitCodeAndStderr() throws Exception {
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call", "call", "--pipe",
                "echo 'cv: no site found here' >&2; exit 3", "echo", "[1]")) {
            assertThat(p.waitFor(30)).isEqualTo(1);
            assertThat(p.err()).contains("the pipe exited with code 3 before it replied to echo")
                    .contains("cv: no site found here");
        }
    }

    @Test
    void callWithVerboseShowsTheDemoQueuesWelcomeHeader() throws Exception {
        Path db = dir.resolve("q.db");
        try (CoworkerProcess p = CoworkerProcess.start(dir, "call", "call", "-v", "--pipe",
                RunCommand.demoPipeCommand(db), "api4", "[\"Queue\",\"getFields\"]")) {
            assertThat(p.waitFor(30)).as(p.err()).isZero();
            assertThat(p.err()).contains("welcome header: {\"Civi::pipe\":{\"v\":\"5.80.0\",\"t\":\"trusted\"");
            assertThat(p.out()).contains("{\"name\":\"batch_limit\"}");
        }
    }

    @Test
    void specServerAnswersOverHttpAndTcp() throws Exception {
        try (CoworkerProcess http = CoworkerProcess.start(dir, "http", "spec-server", "--http", "0");
             CoworkerProcess tcp = CoworkerProcess.start(dir, "tcp", "spec-server", "--tcp", "0")) {
            String url = firstLine(http);
            String addr = firstLine(tcp);
            try (CoworkerProcess p = CoworkerProcess.start(dir, "c1", "call", "--web", url, "sum", "[1,2,4]")) {
                assertThat(p.waitFor(30)).as(p.err()).isZero();
                assertThat(p.out().trim()).isEqualTo("7");
            }
            try (CoworkerProcess p = CoworkerProcess.start(dir, "c2", "call", "--tcp", addr, "get_data")) {
                assertThat(p.waitFor(30)).as(p.err()).isZero();
                assertThat(p.out().trim()).isEqualTo("[\"hello\",5]");
            }
        }
    }

    private static String firstLine(CoworkerProcess p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String s = Files.readString(p.stdout);
            int nl = s.indexOf('\n');
            if (nl > 0) {
                return s.substring(0, nl).trim();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no address printed; stderr:\n" + CoworkerProcess.tail(p.stderr));
    }
}
