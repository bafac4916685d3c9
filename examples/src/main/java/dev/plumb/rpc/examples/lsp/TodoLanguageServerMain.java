package dev.plumb.rpc.examples.lsp;

import dev.plumb.rpc.pipe.Lsp;
import dev.plumb.rpc.pipe.StdioServer;
import java.time.Duration;

/**
 * Runs {@link TodoLanguageServer} on stdin/stdout with the {@link Lsp} dialect: point an editor's LSP client at
 * {@code java -cp examples/target/coworker.jar dev.plumb.rpc.examples.lsp.TodoLanguageServerMain} for
 * {@code *.todo} files. Logs go to stderr. Option {@code --symbol-delay-millis N} paces document symbols by N ms
 * each, to try cancellation and partial results by hand. Exits 0 after {@code shutdown} + {@code exit}, 1 when
 * {@code exit} (or the end of stdin) comes without {@code shutdown}.
 */
public final class TodoLanguageServerMain {

    private TodoLanguageServerMain() {
    }

    /** Serves until {@code exit} or the end of stdin, then exits with the code LSP asks for. */
    public static void main(String[] args) {
        Duration symbolDelay = Duration.ZERO;
        for (int i = 0; i < args.length; i++) {
            if ("--symbol-delay-millis".equals(args[i]) && i + 1 < args.length) {
                symbolDelay = Duration.ofMillis(Long.parseLong(args[++i]));
            } else {
                System.err.println("usage: TodoLanguageServerMain [--symbol-delay-millis N]");
                System.exit(2);
            }
        }
        TodoLanguageServer server = new TodoLanguageServer(symbolDelay);
        Lsp.dialect().server(StdioServer.create().router(server.router()))
                .onConnect(server::connected)
                .serve();
        System.exit(server.exitCode());
    }
}
