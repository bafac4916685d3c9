package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbol;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbolParams;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A client's view of {@code textDocument/documentSymbol}: one request, one array (empty when a
 * {@code partialResultToken} was passed and the symbols came as {@code $/progress}). See
 * {@link DocumentSymbolProvider} for the server's.
 */
@RpcService(prefix = "textDocument/")
public interface DocumentSymbolRequest {

    /** The document's symbols. */
    Mono<List<DocumentSymbol>> documentSymbol(DocumentSymbolParams params);
}
