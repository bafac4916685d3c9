package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.internal.ConnectionCount;
import dev.plumb.rpc.pipe.internal.NettyRpcConnection;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * Serves a router on a TCP or Unix-domain socket: each accepted connection gets its own {@link RpcPeer} (so the
 * server may call its clients too). An immutable fluent configuration; nothing listens until {@link #bind()}.
 *
 * <pre>{@code
 * DisposableServer server = TcpRpcServer.create().host("127.0.0.1").port(0).router(router).bind().block();
 * int port = server.port();
 * }</pre>
 *
 * <p>Defaults: 127.0.0.1, port 0 (any free port), newline framing, an empty router, peer defaults, at most
 * 10,000 connections.
 */
public final class TcpRpcServer {

    private static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    private final String host;
    private final int port;
    private final Path unixSocket;
    private final Framing framing;
    private final RpcRouter router;
    private final UnaryOperator<RpcPeer.Builder> peerCustomizer;
    private final Consumer<RpcPeer> onConnect;
    private final int maxConnections;

    private TcpRpcServer(String host, int port, Path unixSocket, Framing framing, RpcRouter router,
                         UnaryOperator<RpcPeer.Builder> peerCustomizer, Consumer<RpcPeer> onConnect,
                         int maxConnections) {
        this.host = host;
        this.port = port;
        this.unixSocket = unixSocket;
        this.framing = framing;
        this.router = router;
        this.peerCustomizer = peerCustomizer;
        this.onConnect = onConnect;
        this.maxConnections = maxConnections;
    }

    /** A configuration with the defaults. */
    public static TcpRpcServer create() {
        return new TcpRpcServer("127.0.0.1", 0, null, Framing.newlineDelimited(), RpcRouter.empty(), b -> b,
                p -> { }, DEFAULT_MAX_CONNECTIONS);
    }

    /** A copy listening on {@code host} (default 127.0.0.1). */
    public TcpRpcServer host(String host) {
        return new TcpRpcServer(Objects.requireNonNull(host), port, null, framing, router, peerCustomizer, onConnect,
                maxConnections);
    }

    /** A copy listening on {@code port} (default 0: any free port, see {@link DisposableServer#port()}). */
    public TcpRpcServer port(int port) {
        return new TcpRpcServer(host, port, null, framing, router, peerCustomizer, onConnect, maxConnections);
    }

    /** A copy listening on the Unix-domain socket {@code path} instead of TCP. */
    public TcpRpcServer unixSocket(Path path) {
        return new TcpRpcServer(host, port, Objects.requireNonNull(path), framing, router, peerCustomizer,
                onConnect, maxConnections);
    }

    /** A copy with another framing (default newline-delimited). */
    public TcpRpcServer framing(Framing framing) {
        return new TcpRpcServer(host, port, unixSocket, Objects.requireNonNull(framing), router, peerCustomizer,
                onConnect, maxConnections);
    }

    /** A copy serving {@code router}. */
    public TcpRpcServer router(RpcRouter router) {
        return new TcpRpcServer(host, port, unixSocket, framing, Objects.requireNonNull(router), peerCustomizer,
                onConnect, maxConnections);
    }

    /** A copy that lets {@code customizer} configure each connection's peer. */
    public TcpRpcServer peer(UnaryOperator<RpcPeer.Builder> customizer) {
        return new TcpRpcServer(host, port, unixSocket, framing, router, Objects.requireNonNull(customizer),
                onConnect, maxConnections);
    }

    /** A copy that hands each new connection's peer to {@code onConnect} (to call or notify the client). */
    public TcpRpcServer onConnect(Consumer<RpcPeer> onConnect) {
        return new TcpRpcServer(host, port, unixSocket, framing, router, peerCustomizer,
                Objects.requireNonNull(onConnect), maxConnections);
    }

    /**
     * A copy accepting at most {@code max} connections at once; default 10,000, and
     * {@link Integer#MAX_VALUE} for no limit. A connection over the limit is sent one framed JSON-RPC error
     * response ({@code "id": null}, code -32000, "Server busy: too many connections") and closed; nothing it sends is
     * read, so its calls fail with {@code RpcConnectionClosedException}.
     */
    public TcpRpcServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        return new TcpRpcServer(host, port, unixSocket, framing, router, peerCustomizer, onConnect, max);
    }

    /** Starts listening; emits the server, which {@code dispose()} stops. */
    public Mono<DisposableServer> bind() {
        SocketAddress address = unixSocket != null ? new DomainSocketAddress(unixSocket.toString())
                : new InetSocketAddress(host, port);
        String scheme = unixSocket != null ? "unix://" + unixSocket : "tcp";
        ConnectionCount count = new ConnectionCount(maxConnections);
        byte[] refusal = ConnectionCount.refusal(framing);
        return TcpServer.create()
                .bindAddress(() -> address)
                .handle((in, out) -> {
                    AtomicReference<RpcPeer> peer = new AtomicReference<>();
                    in.withConnection(c -> {
                        if (!count.admit(c.channel())) {
                            return;
                        }
                        NettyRpcConnection connection = new NettyRpcConnection(in, out, c, framing,
                                scheme + "#" + c.channel().remoteAddress());
                        peer.set(peerCustomizer.apply(RpcPeer.builder(connection).router(router)).connect());
                    });
                    RpcPeer p = peer.get();
                    if (p == null) {
                        // over the limit: when this handler ends, reactor-netty closes the connection
                        return out.sendByteArray(Mono.just(refusal)).then();
                    }
                    onConnect.accept(p);
                    return p.onClose();
                })
                .bind()
                .map(server -> (DisposableServer) server);
    }
}
