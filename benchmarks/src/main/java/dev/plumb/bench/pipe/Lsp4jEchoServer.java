package dev.plumb.bench.pipe;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

/** LSP4J's side of the pipe benchmark: a {@link Launcher} over stdin/stdout (Content-Length framing). */
public final class Lsp4jEchoServer {

    private Lsp4jEchoServer() {
    }

    /** The remote side's interface: nothing is called on it. */
    public interface Client {
    }

    /** The service: {@code echo} returns its params. */
    public static final class EchoService {
        /** Answers with {@code params}. */
        @JsonRequest("echo")
        public CompletableFuture<Object> echo(Object params) {
            return CompletableFuture.completedFuture(params);
        }
    }

    /** Serves until stdin ends, then exits (LSP4J's default executor's threads would keep the JVM up). */
    public static void main(String[] args) throws Exception {
        Launcher<Client> launcher = Launcher.createLauncher(new EchoService(), Client.class, System.in, System.out);
        launcher.startListening().get();
        System.exit(0);
    }
}
