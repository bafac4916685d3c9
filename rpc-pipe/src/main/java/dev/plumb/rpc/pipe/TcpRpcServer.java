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
import org.jspecify.annotations.Nullable;
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

    private final Settings settings;

    private TcpRpcServer(Settings settings) {
        this.settings = settings;
    }

    /** A configuration with the defaults. */
    public static TcpRpcServer create() {
        return new TcpRpcServer(new Settings());
    }

    /** A copy listening on {@code host} instead of a Unix-domain socket. Default: {@code 127.0.0.1}. */
    public TcpRpcServer host(String host) {
        Objects.requireNonNull(host, "host");
        return with(s -> {
            s.host = host;
            s.unixSocket = null;
        });
    }

    /**
     * A copy listening on {@code port} instead of a Unix-domain socket. Default: 0, any free port (see
     * {@link DisposableServer#port()}).
     */
    public TcpRpcServer port(int port) {
        return with(s -> {
            s.port = port;
            s.unixSocket = null;
        });
    }

    /** A copy listening on the Unix-domain socket {@code path} instead of TCP. Default: none, TCP. */
    public TcpRpcServer unixSocket(Path path) {
        Objects.requireNonNull(path, "path");
        return with(s -> s.unixSocket = path);
    }

    /** A copy with another framing. Default: {@link Framing#newlineDelimited()}. */
    public TcpRpcServer framing(Framing framing) {
        Objects.requireNonNull(framing, "framing");
        return with(s -> s.framing = framing);
    }

    /** A copy serving {@code router}. Default: {@link RpcRouter#empty()}, every call answers -32601. */
    public TcpRpcServer router(RpcRouter router) {
        Objects.requireNonNull(router, "router");
        return with(s -> s.router = router);
    }

    /**
     * A copy that also lets {@code customizer} configure each connection's peer; customizers compose, applied in
     * the order given. Default: none, the peer's defaults.
     */
    public TcpRpcServer peer(UnaryOperator<RpcPeer.Builder> customizer) {
        Objects.requireNonNull(customizer, "customizer");
        return with(s -> {
            UnaryOperator<RpcPeer.Builder> before = s.peerCustomizer;
            s.peerCustomizer = b -> customizer.apply(before.apply(b));
        });
    }

    /**
     * A copy that hands each new connection's peer to {@code onConnect} (to call or notify the client). Default:
     * nothing.
     */
    public TcpRpcServer onConnect(Consumer<RpcPeer> onConnect) {
        Objects.requireNonNull(onConnect, "onConnect");
        return with(s -> s.onConnect = onConnect);
    }

    /**
     * A copy accepting at most {@code max} connections at once, and {@link Integer#MAX_VALUE} for no limit. A
     * connection over the limit is sent one framed JSON-RPC error response ({@code "id": null}, code -32000,
     * "Server busy: too many connections") and closed; nothing it sends is read, so its calls fail with
     * {@code RpcConnectionClosedException}. Default: 10,000.
     */
    public TcpRpcServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        return with(s -> s.maxConnections = max);
    }

    /** Starts listening; emits the server, which {@code dispose()} stops. */
    public Mono<DisposableServer> bind() {
        Settings c = settings;
        Path unixSocket = c.unixSocket;
        SocketAddress address = unixSocket != null ? new DomainSocketAddress(unixSocket.toString())
                : new InetSocketAddress(c.host, c.port);
        String scheme = unixSocket != null ? "unix://" + unixSocket : "tcp";
        ConnectionCount count = new ConnectionCount(c.maxConnections);
        byte[] refusal = ConnectionCount.refusal(c.framing);
        return TcpServer.create()
                .bindAddress(() -> address)
                .handle((in, out) -> {
                    AtomicReference<RpcPeer> peer = new AtomicReference<>();
                    in.withConnection(conn -> {
                        if (!count.admit(conn.channel())) {
                            return;
                        }
                        NettyRpcConnection connection = new NettyRpcConnection(in, out, conn, c.framing,
                                scheme + "#" + conn.channel().remoteAddress());
                        peer.set(c.peerCustomizer.apply(RpcPeer.builder(connection).router(c.router)).connect());
                    });
                    RpcPeer p = peer.get();
                    if (p == null) {
                        // over the limit: when this handler ends, reactor-netty closes the connection
                        return out.sendByteArray(Mono.just(refusal)).then();
                    }
                    c.onConnect.accept(p);
                    return p.onClose();
                })
                .bind()
                .map(server -> (DisposableServer) server);
    }

    private TcpRpcServer with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new TcpRpcServer(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        String host = "127.0.0.1";
        int port;
        @Nullable Path unixSocket;
        Framing framing = Framing.newlineDelimited();
        RpcRouter router = RpcRouter.empty();
        UnaryOperator<RpcPeer.Builder> peerCustomizer = UnaryOperator.identity();
        Consumer<RpcPeer> onConnect = p -> { };
        int maxConnections = 10_000;

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
