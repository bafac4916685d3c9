package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcFilter;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
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
import dev.plumb.rpc.examples.lsp.LspTypes.PublishDiagnosticsParams;
import dev.plumb.rpc.examples.lsp.LspTypes.ServerCapabilities;
import dev.plumb.rpc.examples.lsp.LspTypes.ServerInfo;
import dev.plumb.rpc.pipe.Lsp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A language server for to-do lists ({@link TodoDocument}): diagnostics published on open and on every change,
 * hover, document symbols (streamed as partial results when the client asks), and the LSP lifecycle. Built only
 * from Plumb's public API: typed {@code @RpcService} interfaces for both directions, one filter for the lifecycle
 * rules, and the {@link Lsp} dialect on stdio ({@link TodoLanguageServerMain}).
 *
 * <p>Lifecycle, as the LSP specification asks: before {@code initialize}, requests are answered -32002 and
 * notifications dropped; after {@code shutdown}, requests are answered -32600; {@code exit} ends the process
 * with 0 after {@code shutdown} and 1 without. Handlers run one by one in arrival order (the dialect's ordered
 * dispatch), so the document state needs no locking beyond a concurrent map, and a {@code didChange}'s
 * diagnostics always go out before those of the next one.
 */
public final class TodoLanguageServer implements LanguageServer, TextDocumentService, DocumentSymbolProvider {

    /** The server's name in {@code initialize}'s answer. */
    public static final String NAME = "plumb-todo-language-server";

    private enum State { STARTING, RUNNING, SHUT_DOWN, EXITED }

    private final Map<String, TodoDocument> documents = new ConcurrentHashMap<>();
    private final Duration symbolDelay;
    private volatile State state = State.STARTING;
    private volatile boolean shutdownRequested;
    private volatile LanguageClient client;
    private volatile RpcPeer peer;

    /** A server; {@code symbolDelay} (normally zero) paces the symbols, to simulate a slow analysis. */
    public TodoLanguageServer(Duration symbolDelay) {
        this.symbolDelay = symbolDelay;
    }

    /** The router serving this server's interfaces, with the lifecycle filter. */
    public RpcRouter router() {
        return RpcRouter.builder().filter(lifecycle()).service(this).build();
    }

    /** Takes the connection's peer: diagnostics go to its client, {@code exit} closes it. */
    public void connected(RpcPeer connection) {
        this.peer = connection;
        this.client = connection.proxy(LanguageClient.class);
    }

    /** The exit code the LSP specification asks for: 0 if {@code shutdown} came before the end, else 1. */
    public int exitCode() {
        return shutdownRequested ? 0 : 1;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    private RpcFilter lifecycle() {
        return (call, next) -> {
            String m = call.method();
            if (m.equals("exit")) {
                return next.proceed(call);
            }
            State s = state;
            if (s == State.STARTING && !m.equals("initialize")) {
                return call.isNotification() ? Mono.empty() : Mono.error(new RpcErrorException(
                        new RpcError(Lsp.SERVER_NOT_INITIALIZED, "the server is not initialized")));
            }
            if (s == State.SHUT_DOWN || s == State.EXITED) {
                return call.isNotification() ? Mono.empty() : Mono.error(new RpcErrorException(
                        RpcError.invalidRequest("the server is shutting down")));
            }
            return next.proceed(call);
        };
    }

    @Override
    public Mono<InitializeResult> initialize(InitializeParams params) {
        if (state != State.STARTING) {
            return Mono.error(new RpcErrorException(RpcError.invalidRequest("initialize was sent already")));
        }
        state = State.RUNNING;
        return Mono.just(new InitializeResult(new ServerCapabilities(1, true, true), new ServerInfo(NAME, "1.0")));
    }

    @Override
    public void initialized(Map<String, Object> params) {
        client.logMessage(new LogMessageParams(3, NAME + " ready"));
    }

    @Override
    public Mono<Void> shutdown() {
        shutdownRequested = true;
        state = State.SHUT_DOWN;
        documents.clear();
        return Mono.empty();
    }

    @Override
    public void exit() {
        state = State.EXITED;
        RpcPeer p = peer;
        if (p != null) {
            p.dispose(); // the stdio server returns, and main exits with exitCode()
        }
    }

    // ---------------------------------------------------------------------------------------------- documents

    @Override
    public Mono<Void> didOpen(DidOpenTextDocumentParams params) {
        var item = params.textDocument();
        return publish(TodoDocument.parse(item.uri(), item.version(), item.text()));
    }

    @Override
    public Mono<Void> didChange(DidChangeTextDocumentParams params) {
        var changes = params.contentChanges();
        if (changes == null || changes.isEmpty()) {
            return Mono.empty();
        }
        var id = params.textDocument();
        return publish(TodoDocument.parse(id.uri(), id.version(), changes.get(changes.size() - 1).text()));
    }

    @Override
    public Mono<Void> didClose(DidCloseTextDocumentParams params) {
        String uri = params.textDocument().uri();
        documents.remove(uri);
        return client.publishDiagnostics(new PublishDiagnosticsParams(uri, null, List.of())).onErrorResume(e -> Mono.empty());
    }

    private Mono<Void> publish(TodoDocument doc) {
        documents.put(doc.uri(), doc);
        return client.publishDiagnostics(new PublishDiagnosticsParams(doc.uri(), doc.version(), doc.diagnostics()));
    }

    @Override
    public Mono<Hover> hover(HoverParams params) {
        TodoDocument doc = documents.get(params.textDocument().uri());
        return doc == null ? Mono.empty() : Mono.justOrEmpty(doc.hover(params.position()));
    }

    @Override
    public Flux<DocumentSymbol> documentSymbol(DocumentSymbolParams params) {
        TodoDocument doc = documents.get(params.textDocument().uri());
        if (doc == null) {
            return Flux.error(new RpcErrorException(new RpcError(Lsp.REQUEST_FAILED,
                    "not an open document: " + params.textDocument().uri())));
        }
        Flux<DocumentSymbol> symbols = Flux.fromIterable(doc.symbols());
        return symbolDelay.isZero() ? symbols : symbols.delayElements(symbolDelay);
    }
}
