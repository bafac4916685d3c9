package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.test.TransportContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * {@link WebSocketRpcConnection} passes the transport contract: an {@link HttpRpcServer} on 127.0.0.1 serves the
 * contract's router at its WebSocket path, and each test's client end is a {@code WebSocketRpcConnection} of its own
 * over reactor-netty's WebSocket client.
 */
class WebSocketTransportContractTest implements TransportContract {

    private static final int MAX_FRAME = HttpRpcOptions.DEFAULT_MAX_BODY_BYTES;
    private static DisposableServer server;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().host("127.0.0.1").port(0).router(TransportContract.serverRouter())
                .bindNow();
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @Override
    public RpcConnection connectToContractServer() {
        return Mono.<RpcConnection>create(sink -> {
            Disposable socket = HttpClient.create()
                    .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME).build())
                    .uri("ws://127.0.0.1:" + server.port() + HttpRpcOptions.DEFAULT_WEB_SOCKET_PATH)
                    .handle((in, out) -> {
                        WebSocketRpcConnection connection = new WebSocketRpcConnection(in, out, MAX_FRAME,
                                "ws-contract");
                        sink.success(connection);
                        return connection.onClose();
                    })
                    .subscribe(null, sink::error);
            sink.onCancel(socket);
        }).block(Duration.ofSeconds(30));
    }
}
