package dev.plumb.rpc.examples.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The to-do language server driven by a real LSP client: Microsoft's {@code vscode-languageserver-protocol} (what
 * VS Code's client is built on) in a small Node.js script, {@code src/test/node/lsp-client/client.js}. Skipped when
 * {@code node} or {@code npm} is missing, or when the package cannot be installed (no registry); the package is
 * installed once into {@code target/lsp-node-client}.
 */
@Timeout(300)
class TodoLanguageServerNodeClientTest {

    private static final Path SOURCE = Path.of("src", "test", "node", "lsp-client");
    private static final Path WORK = Path.of("target", "lsp-node-client");

    @Test
    void vscodeLanguageServerProtocolClientGetsDiagnosticsHoverSymbolsProgressCancellationAndExitCode0()
            throws Exception {
        Assumptions.assumeTrue(runs("node", "--version") && runs("npm", "--version"), "node and npm are needed");
        installClient();
        List<String> cmd = new ArrayList<>(List.of("node", "client.js",
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                TodoLanguageServerMain.class.getName(), "--symbol-delay-millis", "200"));
        Path stdout = WORK.resolve("client.out");
        Path stderr = WORK.resolve("client.err");
        Process node = new ProcessBuilder(cmd).directory(WORK.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the node client finished within 60 s").isTrue();
        } finally {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
        assertThat(node.exitValue()).as("node client failed:\n" + Files.readString(stderr)).isZero();
        JsonNode out = JsonMapper.builder().build().readTree(Files.readString(stdout));

        assertThat(out.get("serverName").asString()).isEqualTo(TodoLanguageServer.NAME);
        assertThat(out.get("capabilities").get("textDocumentSync").asInt()).isEqualTo(1);
        assertThat(out.get("logs").toString()).contains("ready");
        JsonNode diagnostics = out.get("diagnostics");
        assertThat(diagnostics).hasSize(2);
        assertThat(diagnostics.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(diagnostics.get(0).get("messages").get(0).asString()).contains("unknown box '[?]'");
        assertThat(diagnostics.get(1).get("version").asInt()).isEqualTo(2);
        assertThat(diagnostics.get(1).get("messages")).isEmpty();
        assertThat(out.get("hover").asString()).isEqualTo("**Done**: eggs due:2026-12-01\n\nDue 2026-12-01");
        assertThat(out.get("symbols").toString())
                .isEqualTo("[{\"name\":\"Shopping\",\"children\":[\"milk\",\"eggs due:2026-12-01\"]}]");
        assertThat(out.get("progress").toString()).isEqualTo("[\"Shopping\"]");
        assertThat(out.get("partialResponse").toString()).isEqualTo("[]");
        assertThat(out.get("unknownDollarRequest").asInt()).isEqualTo(-32601);
        assertThat(out.get("cancelled").toString()).isEqualTo("{\"code\":-32800}");
        assertThat(out.get("exitCode").asInt()).isZero();
    }

    /** Copies the client into {@code target/} and installs its one dependency there, unless it is already. */
    private static void installClient() throws Exception {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", "client.js")) {
            Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(WORK.resolve("node_modules").resolve("vscode-languageserver-protocol"))) {
            return;
        }
        Path log = WORK.resolve("npm-install.log");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = npm.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            npm.descendants().forEach(ProcessHandle::destroyForcibly);
            npm.destroyForcibly();
        }
        Assumptions.assumeTrue(done && npm.exitValue() == 0,
                () -> "cannot install vscode-languageserver-protocol: " + read(log));
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
