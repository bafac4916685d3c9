package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcDialect;
import dev.plumb.rpc.RpcPeer;
import java.util.function.Consumer;
import reactor.core.scheduler.Schedulers;

/**
 * The Language Server Protocol's base-protocol rules as a stdio dialect, for either side: a language server on
 * its own stdin/stdout ({@link #server(StdioServer)}) or a client that spawns one ({@link #transport},
 * {@link #peer}, {@link #coprocess}). An immutable value, like {@link CiviPipe}; see {@code docs/lsp.md}.
 *
 * <pre>{@code
 * Lsp lsp = Lsp.dialect();
 * // a server (main method): Content-Length framing on stdin/stdout, LSP's cancellation and partial results
 * lsp.server(StdioServer.create().router(router)).onConnect(server::connected).serve();
 * // a client: spawn the server and talk to it the same way
 * PipeConnection child = lsp.transport(PipeTransport.command("my-language-server")).connect().block();
 * RpcPeer peer = lsp.peer(RpcPeer.builder(child).router(clientRouter)).connect();
 * }</pre>
 *
 * <p>What it sets: {@code Content-Length} framing ({@link Framing#contentLength(int)}: other headers such as
 * {@code Content-Type} are read and ignored, bodies are UTF-8); handlers started one at a time in arrival order
 * on the reading thread (it removes any handler scheduler set before it); {@code $/cancelRequest {id}} sent when
 * a local call is cancelled or times out and, received, stopping the handler and answering -32800; and a
 * {@code Flux} result bridged to {@code $/progress {token, value: [item]}} notifications when the request's params
 * carry a {@code partialResultToken}, the response then being {@code []}. Unknown notifications ({@code $/} ones
 * included) are dropped with a debug log line; unknown requests ({@code $/} ones included) are answered -32601:
 * both are the core's behaviour for any method without a handler. Capabilities, {@code initialize}, the
 * {@code shutdown}/{@code exit} lifecycle and its exit codes belong to the application.
 *
 * <p>{@link #server(StdioServer)} and {@link #coprocess(PipeTransport)} add a peer customizer; peer customizers
 * compose in the order given, so customise the peer further with your own after it
 * ({@code lsp.server(s).peer(b -> b.timeout(…))}).
 */
public final class Lsp {

    /** The params member through which a client asks for partial results: {@code partialResultToken}. */
    public static final String PARTIAL_RESULT_TOKEN = "partialResultToken";

    /** The notification partial results (and work-done progress) travel as: {@code $/progress}. */
    public static final String PROGRESS = "$/progress";

    /** The notification that cancels a request: {@code $/cancelRequest} with params {@code {"id": …}}. */
    public static final String CANCEL_REQUEST = "$/cancelRequest";

    /** LSP's error code for a request the client cancelled: -32800 (RequestCancelled). */
    public static final int REQUEST_CANCELLED = -32800;

    /** LSP's error code for a request received before {@code initialize}: -32002 (ServerNotInitialized). */
    public static final int SERVER_NOT_INITIALIZED = -32002;

    /** LSP's error code for a request whose document changed under it: -32801 (ContentModified). */
    public static final int CONTENT_MODIFIED = -32801;

    /** LSP's error code for a request the server cancelled: -32802 (ServerCancelled). */
    public static final int SERVER_CANCELLED = -32802;

    /** LSP's error code for a request that was valid but failed: -32803 (RequestFailed). */
    public static final int REQUEST_FAILED = -32803;

    private static final Lsp DEFAULT = new Lsp(new Settings());

    private final Settings settings;

    private Lsp(Settings settings) {
        this.settings = settings;
    }

    /** The dialect with the default largest message: 16 MiB. */
    public static Lsp dialect() {
        return DEFAULT;
    }

    /**
     * A copy accepting messages of at most {@code bytes} bytes; a larger one is skipped and answered -32600
     * (the stream stays in step, as its length is known). Default 16 MiB.
     */
    public Lsp maxFrameBytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
        return with(s -> s.maxFrameBytes = bytes);
    }

    /** The framing: {@code Content-Length: N\r\n\r\n} before each UTF-8 body, other headers ignored. */
    public Framing framing() {
        return Framing.contentLength(settings.maxFrameBytes);
    }

    /**
     * The peer's dialect: the JSON-RPC specification plus LSP's cancellation ({@code $/cancelRequest} with
     * {@code id}, a cancelled request answered -32800) and partial results ({@code partialResultToken} bridged to
     * {@code $/progress}).
     */
    public RpcDialect peerDialect() {
        return RpcDialect.strict()
                .cancellation(CANCEL_REQUEST, "id")
                .answerCancelledRequests(true)
                .partialResults(PARTIAL_RESULT_TOKEN, PROGRESS);
    }

    /**
     * {@code builder} with the LSP dialect and ordered dispatch: any handler scheduler set on it before is
     * removed, so handlers start one by one in arrival order (a {@code didChange} is applied before the
     * {@code hover} sent after it). Methods given their own scheduler with {@code RpcRouter.Builder.runOn} keep
     * it, and give up that order.
     */
    public RpcPeer.Builder peer(RpcPeer.Builder builder) {
        return builder.handlerScheduler(Schedulers.immediate()).dialect(peerDialect());
    }

    /** {@code server} with Content-Length framing, ordered dispatch and this peer dialect ({@link #peer}). */
    public StdioServer server(StdioServer server) {
        return server.framing(framing()).handlerScheduler(Schedulers.immediate()).peer(this::peer);
    }

    /** {@code transport} (a language server to spawn) with Content-Length framing and no welcome header. */
    public PipeTransport transport(PipeTransport transport) {
        return transport.framing(framing()).welcomeHeader(false);
    }

    /** A {@link Coprocess} of {@code transport} with this dialect applied to the transport and the peer. */
    public Coprocess coprocess(PipeTransport transport) {
        return Coprocess.of(transport(transport)).peer(this::peer);
    }

    @Override
    public String toString() {
        return "Lsp[maxFrameBytes=" + settings.maxFrameBytes + "]";
    }

    private Lsp with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new Lsp(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        int maxFrameBytes = Framing.DEFAULT_MAX_FRAME_BYTES;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
