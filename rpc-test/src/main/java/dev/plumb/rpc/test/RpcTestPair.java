package dev.plumb.rpc.test;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A client and a server peer connected in memory, in one call, for testing a service: the server answers with the
 * router under test, the client's calls and streams are cold {@code Mono}/{@code Flux} ready for
 * {@code StepVerifier}, and {@link #frames()} shows what crossed the wire. Closing the pair closes both peers.
 *
 * <pre>{@code
 * try (RpcTestPair pair = RpcTestPair.of(myRouter)) {
 *     StepVerifier.create(pair.client().call("subtract", List.of(42, 23), Integer.class))
 *             .expectNext(19)
 *             .verifyComplete();
 *     assertThat(pair.frames().sentMethods()).containsExactly("subtract");
 * }
 * }</pre>
 *
 * <p>Timeouts run on virtual time when the call is made inside {@code StepVerifier.withVirtualTime}: the peer's
 * timeout sweep reads {@code Schedulers.parallel()}, which reactor-test replaces (see {@code docs/testing.md}).
 */
public final class RpcTestPair implements AutoCloseable {

    private final RpcPeer client;
    private final RpcPeer server;
    private final FrameRecorder frames;

    private RpcTestPair(RpcPeer client, RpcPeer server, FrameRecorder frames) {
        this.client = client;
        this.server = server;
        this.frames = frames;
    }

    /** A pair whose server answers with {@code serverRouter}, both peers at their defaults. */
    public static RpcTestPair of(RpcRouter serverRouter) {
        return of(serverRouter, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * A pair whose server answers with {@code serverRouter}, each peer's builder first given to its settings (a
     * client {@code router} for calls back from the server, a {@code timeout}, limits…); the builders already
     * have their connection and the server its router.
     */
    public static RpcTestPair of(RpcRouter serverRouter, UnaryOperator<RpcPeer.Builder> clientSettings,
                                 UnaryOperator<RpcPeer.Builder> serverSettings) {
        Objects.requireNonNull(serverRouter, "serverRouter");
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        FrameRecorder frames = FrameRecorder.wrap(pair.left());
        RpcPeer server = serverSettings.apply(RpcPeer.builder(pair.right()).router(serverRouter).name("server"))
                .connect();
        RpcPeer client = clientSettings.apply(RpcPeer.builder(frames).name("client")).connect();
        return new RpcTestPair(client, server, frames);
    }

    /** The calling side: {@code call}, {@code notify}, {@code stream}, {@code batch}. */
    public RpcPeer client() {
        return client;
    }

    /** The serving side, answering with the router under test; it may call the client back too. */
    public RpcPeer server() {
        return server;
    }

    /** The frames the client sent ({@link FrameRecorder#sent()}) and received, as they crossed the connection. */
    public FrameRecorder frames() {
        return frames;
    }

    /** Closes both peers; their pending calls fail with {@code RpcConnectionClosedException}. */
    @Override
    public void close() {
        client.dispose();
        server.dispose();
    }
}
