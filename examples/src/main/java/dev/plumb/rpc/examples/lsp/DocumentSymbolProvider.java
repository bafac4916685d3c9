package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbol;
import dev.plumb.rpc.examples.lsp.LspTypes.DocumentSymbolParams;
import reactor.core.publisher.Flux;

/**
 * {@code textDocument/documentSymbol} as a server implements it: a {@code Flux} of top-level symbols. A client
 * that passes a {@code partialResultToken} gets each symbol at once as a {@code $/progress} notification (the
 * {@code Lsp} dialect does that) and an empty array as the result; one that does not gets the array.
 *
 * <p>A client does not call this interface through a proxy: a proxy turns a {@code Flux} method into a Plumb
 * stream ({@code $/stream/open}), which is not LSP. Its view of the same wire method is
 * {@link DocumentSymbolRequest}.
 */
@RpcService(prefix = "textDocument/")
public interface DocumentSymbolProvider {

    /** The document's symbols, top-level ones as items (a section with its tasks as children). */
    Flux<DocumentSymbol> documentSymbol(DocumentSymbolParams params);
}
