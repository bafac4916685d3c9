package dev.plumb.rpc.examples.lsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.lsp.LspTypes.Diagnostic;
import dev.plumb.rpc.examples.lsp.LspTypes.DidChangeTextDocumentParams;
import dev.plumb.rpc.examples.lsp.LspTypes.DidCloseTextDocumentParams;
import dev.plumb.rpc.examples.lsp.LspTypes.DidOpenTextDocumentParams;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbol;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbolParams;
import dev.plumb.rpc.examples.lsp.LspTypes.Hover;
import dev.plumb.rpc.examples.lsp.LspTypes.HoverParams;
import dev.plumb.rpc.examples.lsp.LspTypes.InitializeParams;
import dev.plumb.rpc.examples.lsp.LspTypes.InitializeResult;
import dev.plumb.rpc.examples.lsp.LspTypes.LogMessageParams;
import dev.plumb.rpc.examples.lsp.LspTypes.Position;
import dev.plumb.rpc.examples.lsp.LspTypes.PublishDiagnosticsParams;
import dev.plumb.rpc.examples.lsp.LspTypes.Range;
import dev.plumb.rpc.examples.lsp.LspTypes.TextDocumentContentChangeEvent;
import dev.plumb.rpc.examples.lsp.LspTypes.TextDocumentIdentifier;
import dev.plumb.rpc.examples.lsp.LspTypes.TextDocumentItem;
import dev.plumb.rpc.examples.lsp.LspTypes.VersionedTextDocumentIdentifier;
import dev.plumb.rpc.pipe.Lsp;
import dev.plumb.rpc.pipe.PipeConnection;
import dev.plumb.rpc.pipe.PipeTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The to-do language server as a real child process, driven through Plumb client proxies over Content-Length
 * framing (the {@link Lsp} dialect on the client side too), or byte-level where a Plumb client cannot show what
 * went over the wire (a cancelled request's -32800).
 */
@Timeout(90)
class TodoLanguageServerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String URI = "file:///work/groceries.todo";
    private static final String WITH_ERROR = """
            # Groceries
            - [ ] milk
            - [?] eggs
            - [x] bread due:2026-12-01
            """;
    private static final String WITH_BAD_DATE = """
            # Groceries
            - [ ] milk
            - [ ] eggs due:tomorrow
            - [x] bread due:2026-12-01
            """;
    private static final String CLEAN = """
            - [ ] call the plumber
            # Groceries
            - [ ] milk
            - [ ] eggs

            - [x] bread due:2026-12-01
            # Garden
            - [x] mow
            """;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void diagnosticsOnOpenAndChangeInOrderHoverSymbolsAndShutdownExitWithCode0() throws Exception {
        Session s = start();
        InitializeResult init = s.server.initialize(new InitializeParams(
                (int) ProcessHandle.current().pid(), null, null)).block(WAIT);
        assertThat(init.capabilities().textDocumentSync()).isEqualTo(1);
        assertThat(init.capabilities().hoverProvider()).isTrue();
        assertThat(init.capabilities().documentSymbolProvider()).isTrue();
        assertThat(init.serverInfo().name()).isEqualTo(TodoLanguageServer.NAME);
        s.server.initialized(Map.of());
        assertThat(s.client.logs.poll(WAIT.toSeconds(), TimeUnit.SECONDS).message()).contains("ready");

        // open a document with an error: its diagnostics arrive
        s.docs.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(URI, "todo", 1, WITH_ERROR))).block(WAIT);
        PublishDiagnosticsParams first = s.client.nextDiagnostics();
        assertThat(first.uri()).isEqualTo(URI);
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.range()).isEqualTo(Range.of(2, 2, 5));
            assertThat(d.severity()).isEqualTo(LspTypes.Severity.ERROR);
            assertThat(d.source()).isEqualTo("todo");
            assertThat(d.message()).contains("unknown box '[?]'");
        });

        // two changes sent back to back: their diagnostics arrive in order
        s.docs.didChange(change(2, WITH_BAD_DATE)).block(WAIT);
        s.docs.didChange(change(3, CLEAN)).block(WAIT);
        PublishDiagnosticsParams second = s.client.nextDiagnostics();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.diagnostics()).extracting(Diagnostic::message)
                .containsExactly("not a date: 'tomorrow' (write due:YYYY-MM-DD)");
        assertThat(second.diagnostics().get(0).range()).isEqualTo(Range.of(2, 11, 23));
        PublishDiagnosticsParams third = s.client.nextDiagnostics();
        assertThat(third.version()).isEqualTo(3);
        assertThat(third.diagnostics()).isEmpty();

        // hover and symbols answer, on the latest text
        Hover onTask = s.docs.hover(new HoverParams(new TextDocumentIdentifier(URI), new Position(5, 3))).block(WAIT);
        assertThat(onTask.contents().kind()).isEqualTo("markdown");
        assertThat(onTask.contents().value()).isEqualTo("**Done**: bread due:2026-12-01\n\nDue 2026-12-01");
        assertThat(onTask.range()).isEqualTo(Range.of(5, 0, 26));
        Hover onHeading = s.docs.hover(new HoverParams(new TextDocumentIdentifier(URI), new Position(1, 0)))
                .block(WAIT);
        assertThat(onHeading.contents().value()).isEqualTo("**Groceries**: 2 open, 1 done");
        assertThat(s.docs.hover(new HoverParams(new TextDocumentIdentifier(URI), new Position(4, 0))).block(WAIT))
                .as("nothing to say on a blank line: a null result").isNull();

        List<DocumentSymbol> symbols = s.symbols.documentSymbol(
                new DocumentSymbolParams(new TextDocumentIdentifier(URI), null)).block(WAIT);
        assertThat(symbols).extracting(DocumentSymbol::name).containsExactly("call the plumber", "Groceries", "Garden");
        DocumentSymbol groceries = symbols.get(1);
        assertThat(groceries.detail()).isEqualTo("2 open, 1 done");
        assertThat(groceries.kind()).isEqualTo(LspTypes.SymbolKind.NAMESPACE);
        assertThat(groceries.range()).isEqualTo(new Range(new Position(1, 0), new Position(5, 26)));
        assertThat(groceries.selectionRange()).isEqualTo(Range.of(1, 2, 11));
        assertThat(groceries.children()).extracting(DocumentSymbol::name, DocumentSymbol::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("milk", "open"),
                        org.assertj.core.groups.Tuple.tuple("eggs", "open"),
                        org.assertj.core.groups.Tuple.tuple("bread due:2026-12-01", "done, due 2026-12-01"));

        // closing the document clears its diagnostics
        s.docs.didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(URI))).block(WAIT);
        PublishDiagnosticsParams cleared = s.client.nextDiagnostics();
        assertThat(cleared.uri()).isEqualTo(URI);
        assertThat(cleared.version()).isNull();
        assertThat(cleared.diagnostics()).isEmpty();

        // shutdown, then exit: code 0
        s.server.shutdown().block(WAIT);
        assertThatThrownBy(() -> s.docs.hover(new HoverParams(new TextDocumentIdentifier(URI), new Position(0, 0)))
                .block(WAIT)).isInstanceOfSatisfying(RpcErrorException.class,
                        e -> assertThat(e.code()).isEqualTo(-32600));
        s.server.exit();
        assertThat(s.exitCode()).isZero();
    }

    @Test
    void symbolsComeAsProgressNotificationsWhenTheClientPassesAPartialResultToken() throws Exception {
        Session s = start();
        s.initialize();
        s.docs.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(URI, "todo", 1, CLEAN))).block(WAIT);
        assertThat(s.client.nextDiagnostics().diagnostics()).isEmpty();
        List<DocumentSymbol> result = s.symbols.documentSymbol(
                new DocumentSymbolParams(new TextDocumentIdentifier(URI), "symbols-1")).block(WAIT);
        assertThat(result).as("the symbols came as partial results: the response is empty").isEmpty();
        // the notifications were read (and handled, in order) before the response
        List<SymbolProgress> progress = new ArrayList<>();
        s.client.progress.drainTo(progress);
        assertThat(progress).extracting(SymbolProgress::token).containsOnly("symbols-1");
        assertThat(progress).flatExtracting(SymbolProgress::value).extracting(DocumentSymbol::name)
                .containsExactly("call the plumber", "Groceries", "Garden");
        s.server.shutdown().block(WAIT);
        s.server.exit();
        assertThat(s.exitCode()).isZero();
    }

    @Test
    void exitWithoutShutdownExitsWithCode1() throws Exception {
        Session s = start();
        s.initialize();
        s.server.exit();
        assertThat(s.exitCode()).isEqualTo(1);
    }

    @Test
    void requestsBeforeInitializeAreRefused32002() throws Exception {
        Session s = start();
        assertThatThrownBy(() -> s.symbols.documentSymbol(new DocumentSymbolParams(new TextDocumentIdentifier(URI),
                null)).block(WAIT)).isInstanceOfSatisfying(RpcErrorException.class,
                        e -> assertThat(e.code()).isEqualTo(Lsp.SERVER_NOT_INITIALIZED));
        s.docs.didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(URI, "todo", 1, WITH_ERROR))).block(WAIT);
        s.initialize();
        assertThatThrownBy(() -> s.server.initialize(new InitializeParams(null, null, null)).block(WAIT))
                .isInstanceOfSatisfying(RpcErrorException.class, e -> assertThat(e.code()).isEqualTo(-32600));
        assertThat(s.client.diagnostics).as("the didOpen before initialize was dropped").isEmpty();
        s.server.shutdown().block(WAIT);
        s.server.exit();
        assertThat(s.exitCode()).isZero();
    }

    @Test
    void aRequestCancelledByTheClientIsAnswered32800OnTheWire() throws Exception {
        // byte level: a Plumb client drops the answer to a call it cancelled, so this test writes the frames itself
        PipeConnection child = Lsp.dialect().transport(serverCommand("--symbol-delay-millis", "60000"))
                .connect().block(WAIT);
        cleanup.add(child::kill);
        Sinks.Many<byte[]> out = Sinks.many().unicast().onBackpressureBuffer();
        BlockingQueue<JsonNode> in = new LinkedBlockingQueue<>();
        ObjectMapper json = JsonMapper.builder().build();
        child.receive().subscribe(frame -> in.add(json.readTree(frame)), e -> { }); // the end: exitCode below
        child.send(out.asFlux()).subscribe(null, e -> { });
        String[] frames = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,\"capabilities\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"" + URI
                    + "\",\"languageId\":\"todo\",\"version\":1,\"text\":\"# A\\n- [ ] b\\n\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"symbols\",\"method\":\"textDocument/documentSymbol\",\"params\":"
                    + "{\"textDocument\":{\"uri\":\"" + URI + "\"},\"partialResultToken\":\"p\"}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":\"symbols\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"$/unknownRequest\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"shutdown\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}",
        };
        for (String f : frames) {
            out.tryEmitNext(f.getBytes(StandardCharsets.UTF_8));
        }
        List<String> seen = new ArrayList<>();
        JsonNode cancelled = null;
        JsonNode unknown = null;
        JsonNode shutdown = null;
        while (shutdown == null) {
            JsonNode m = in.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(m).as("a message before the shutdown answer; seen " + seen).isNotNull();
            seen.add(m.has("method") ? m.get("method").asString() : "response " + m.get("id"));
            if (m.has("id") && m.get("id").isString() && m.get("id").asString().equals("symbols")) {
                cancelled = m;
            } else if (m.has("id") && m.get("id").asInt() == 3) {
                unknown = m;
            } else if (m.has("id") && m.get("id").asInt() == 4) {
                shutdown = m;
            }
        }
        assertThat(cancelled).as("seen " + seen).isNotNull();
        assertThat(cancelled.get("error").get("code").asInt()).isEqualTo(Lsp.REQUEST_CANCELLED);
        assertThat(seen).doesNotContain("$/progress"); // the first symbol was 60 s away
        assertThat(unknown.get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(shutdown.get("result").isNull()).isTrue();
        child.onClose().block(WAIT);
        assertThat(child.exitCode()).hasValue(0);
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private static DidChangeTextDocumentParams change(int version, String text) {
        return new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(URI, version),
                List.of(new TextDocumentContentChangeEvent(text)));
    }

    private static PipeTransport serverCommand(String... args) {
        List<String> argv = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                TodoLanguageServerMain.class.getName()));
        argv.addAll(List.of(args));
        return PipeTransport.command(argv).name("todo-ls");
    }

    private Session start() {
        Lsp lsp = Lsp.dialect();
        PipeConnection child = lsp.transport(serverCommand()).connect().block(WAIT);
        cleanup.add(child::kill);
        RecordingClient client = new RecordingClient();
        RpcPeer peer = lsp.peer(RpcPeer.builder(child).router(RpcRouter.builder().service(client).build())
                .timeout(WAIT)).connect();
        cleanup.add(0, peer::dispose);
        return new Session(child, peer, client);
    }

    /** One server process and the client's proxies of it. */
    private static final class Session {
        final PipeConnection child;
        final RecordingClient client;
        final LanguageServer server;
        final TextDocumentService docs;
        final DocumentSymbolRequest symbols;

        Session(PipeConnection child, RpcPeer peer, RecordingClient client) {
            this.child = child;
            this.client = client;
            this.server = peer.proxy(LanguageServer.class);
            this.docs = peer.proxy(TextDocumentService.class);
            this.symbols = peer.proxy(DocumentSymbolRequest.class);
        }

        void initialize() {
            server.initialize(new InitializeParams(null, null, null)).block(WAIT);
            server.initialized(Map.of());
        }

        /** Waits for the server to exit by itself (no stdin close, no signal) and gives its exit code. */
        int exitCode() {
            child.onClose().block(WAIT);
            return child.exitCode().orElseThrow(() -> new AssertionError("the server has not exited"));
        }
    }

    /** {@code $/progress} carrying document symbols, as the test client receives it. */
    record SymbolProgress(String token, List<DocumentSymbol> value) {
    }

    /** The partial-result notifications a client listens to (only this test's client needs them). */
    @RpcService
    interface ProgressListener {
        /** A partial result. */
        @RpcMethod("$/progress")
        void progress(SymbolProgress params);
    }

    /** A client that records what the server sends it. */
    static final class RecordingClient implements LanguageClient, ProgressListener {
        final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
        final BlockingQueue<LogMessageParams> logs = new LinkedBlockingQueue<>();
        final BlockingQueue<SymbolProgress> progress = new LinkedBlockingQueue<>();

        @Override
        public Mono<Void> publishDiagnostics(PublishDiagnosticsParams params) {
            diagnostics.add(params);
            return Mono.empty();
        }

        @Override
        public void logMessage(LogMessageParams params) {
            logs.add(params);
        }

        @Override
        public void progress(SymbolProgress params) {
            progress.add(params);
        }

        PublishDiagnosticsParams nextDiagnostics() throws InterruptedException {
            PublishDiagnosticsParams p = diagnostics.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(p).as("diagnostics within " + WAIT).isNotNull();
            return p;
        }
    }
}
