package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.RpcService;
import dev.plumb.rpc.examples.lsp.LspTypes.InitializeParams;
import dev.plumb.rpc.examples.lsp.LspTypes.InitializeResult;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The lifecycle every language server has: {@code initialize} (answers the capabilities), {@code initialized},
 * {@code shutdown} and {@code exit}. The server implements it; a client calls it through a proxy.
 */
@RpcService
public interface LanguageServer {

    /** The first request: the client's capabilities in, the server's out. */
    Mono<InitializeResult> initialize(InitializeParams params);

    /** The client has received the {@code initialize} result ({@code params} is an empty object). */
    void initialized(Map<String, Object> params);

    /** Prepare to exit: the server answers, then refuses further requests until {@code exit}. */
    Mono<Void> shutdown();

    /** Exit now: with code 0 after {@code shutdown}, 1 without (as the LSP specification asks). */
    void exit();
}
