package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.lsp.LspTypes.LogMessageParams;
import dev.plumb.rpc.examples.lsp.LspTypes.PublishDiagnosticsParams;
import reactor.core.publisher.Mono;

/** What a language server sends its client: diagnostics and log messages. The client implements it. */
@RpcService
public interface LanguageClient {

    /** All the diagnostics of one version of a document (an empty list clears them). */
    @RpcMethod(value = "textDocument/publishDiagnostics", notification = true)
    Mono<Void> publishDiagnostics(PublishDiagnosticsParams params);

    /** A message for the client's log. */
    @RpcMethod("window/logMessage")
    void logMessage(LogMessageParams params);
}
