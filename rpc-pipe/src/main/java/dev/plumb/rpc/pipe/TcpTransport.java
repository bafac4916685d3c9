package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.pipe.internal.NettyRpcConnection;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * A client connection to a JSON-RPC server on a TCP or Unix-domain socket (reactor-netty), newline-delimited
 * by default; put an {@link dev.plumb.rpc.RpcPeer} on it. An immutable fluent configuration:
 *
 * <pre>{@code
 * RpcPeer peer = RpcPeer.builder(TcpTransport.connect("127.0.0.1", 7001).block()).connect();
 * RpcConnection uds = TcpTransport.unixSocket(Path.of("/run/app.sock")).connect().block();
 * }</pre>
 */
public final class TcpTransport {

    private final Supplier<SocketAddress> address;
    private final String display;
    private final Framing framing;

    private TcpTransport(Supplier<SocketAddress> address, String display, Framing framing) {
        this.address = address;
        this.display = display;
        this.framing = framing;
    }

    /** A configuration for {@code host:port}. */
    public static TcpTransport tcp(String host, int port) {
        return new TcpTransport(() -> InetSocketAddress.createUnresolved(host, port), "tcp://" + host + ":" + port,
                Framing.newlineDelimited());
    }

    /** A configuration for the Unix-domain socket at {@code path} (Linux, through Netty's epoll transport). */
    public static TcpTransport unixSocket(Path path) {
        String p = path.toString();
        return new TcpTransport(() -> new DomainSocketAddress(p), "unix://" + p, Framing.newlineDelimited());
    }

    /** Connects to {@code host:port} with newline framing. */
    public static Mono<RpcConnection> connect(String host, int port) {
        return tcp(host, port).connect();
    }

    /** A copy with another framing (default newline-delimited, 16 MiB). */
    public TcpTransport framing(Framing framing) {
        return new TcpTransport(address, display, Objects.requireNonNull(framing));
    }

    /** Connects; emits the connection once the socket is open. */
    public Mono<RpcConnection> connect() {
        return TcpClient.create()
                .remoteAddress(address)
                .connect()
                .map(c -> new NettyRpcConnection(c, framing, display + "#" + c.channel().localAddress()));
    }

    @Override
    public String toString() {
        return "TcpTransport[" + display + "]";
    }
}
