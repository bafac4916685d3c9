package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.lsp.LspTypes.DidChangeTextDocumentParams;
import dev.plumb.rpc.examples.lsp.LspTypes.DidCloseTextDocumentParams;
import dev.plumb.rpc.examples.lsp.LspTypes.DidOpenTextDocumentParams;
import dev.plumb.rpc.examples.lsp.LspTypes.Hover;
import dev.plumb.rpc.examples.lsp.LspTypes.HoverParams;
import reactor.core.publisher.Mono;

/**
 * The {@code textDocument/} methods both sides see the same way: document synchronisation (full text) and hover.
 * The sync notifications return {@code Mono<Void>} ({@code notification = true}) so that a server can return the
 * diagnostics it publishes in answer: the notification's handler then ends once they are queued, in order.
 */
@RpcService(prefix = "textDocument/")
public interface TextDocumentService {

    /** A document was opened; its text is now owned by the client. */
    @RpcMethod(notification = true)
    Mono<Void> didOpen(DidOpenTextDocumentParams params);

    /** A document changed; with full sync, each change carries the whole text. */
    @RpcMethod(notification = true)
    Mono<Void> didChange(DidChangeTextDocumentParams params);

    /** A document was closed. */
    @RpcMethod(notification = true)
    Mono<Void> didClose(DidCloseTextDocumentParams params);

    /** What is at a position; empty (a {@code null} result) when there is nothing to say. */
    Mono<Hover> hover(HoverParams params);
}
