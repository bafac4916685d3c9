package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.pipe.internal.NettyRpcConnection;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
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

    private final Settings settings;

    private TcpTransport(Settings settings) {
        this.settings = settings;
    }

    /** A configuration for {@code host:port}. */
    public static TcpTransport tcp(String host, int port) {
        return new TcpTransport(new Settings(() -> InetSocketAddress.createUnresolved(host, port),
                "tcp://" + host + ":" + port));
    }

    /** A configuration for the Unix-domain socket at {@code path} (Linux, through Netty's epoll transport). */
    public static TcpTransport unixSocket(Path path) {
        String p = path.toString();
        return new TcpTransport(new Settings(() -> new DomainSocketAddress(p), "unix://" + p));
    }

    /** Connects to {@code host:port} with newline framing. */
    public static Mono<RpcConnection> connect(String host, int port) {
        return tcp(host, port).connect();
    }

    /** A copy with another framing. Default: newline-delimited, 16 MiB ({@link Framing#newlineDelimited()}). */
    public TcpTransport framing(Framing framing) {
        Objects.requireNonNull(framing, "framing");
        return with(s -> s.framing = framing);
    }

    /** Connects; emits the connection once the socket is open. */
    public Mono<RpcConnection> connect() {
        Settings c = settings;
        return TcpClient.create()
                .remoteAddress(c.address)
                .connect()
                .map(conn -> new NettyRpcConnection(conn, c.framing, c.display + "#" + conn.channel().localAddress()));
    }

    @Override
    public String toString() {
        return "TcpTransport[" + settings.display + "]";
    }

    private TcpTransport with(Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new TcpTransport(copy);
    }

    /** Every option with its default; copied once per change. */
    private static final class Settings implements Cloneable {
        final Supplier<SocketAddress> address;
        final String display;
        Framing framing = Framing.newlineDelimited();

        Settings(Supplier<SocketAddress> address, String display) {
            this.address = address;
            this.display = display;
        }

        Settings copy() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
