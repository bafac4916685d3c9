package dev.plumb.rpc.web.internal;

import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

/**
 * Counts an HTTP server's open connections and answers each one over the limit with {@code 503} and a JSON-RPC
 * error before closing it, so that its requests never reach a route.
 */
public final class ConnectionLimit {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    /** The JSON-RPC error code of the refusal, in the range the specification leaves to servers. */
    public static final int SERVER_BUSY = -32000;

    /** How long a connection over the limit may stay open without finishing a request, in seconds. */
    static final long LINGER_SECONDS = 10;

    private static final byte[] BODY = RpcCodec.defaults().encodeError(RpcId.NULL,
            new RpcError(SERVER_BUSY, "Server busy: too many connections"));

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    private ConnectionLimit(int max) {
        this.max = max;
    }

    /** A limit of {@code max} connections open at once ({@link Integer#MAX_VALUE}: none). */
    public static ConnectionLimit of(int max) {
        return new ConnectionLimit(max);
    }

    /** Counts {@code channel} until it closes, and refuses it when it is over the limit (reactor-netty's hook). */
    public void init(ConnectionObserver observer, Channel channel, SocketAddress remote) {
        if (max == Integer.MAX_VALUE) {
            return;
        }
        int n = open.incrementAndGet();
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        if (n > max) {
            LOG.debug("{} connections open, limit {}: refusing {}", n, max, remote);
            if (channel.pipeline().get(NettyPipeline.HttpCodec) == null) {
                channel.close(); // not HTTP/1.1 as expected: nothing to answer with
                return;
            }
            channel.pipeline().addAfter(NettyPipeline.HttpCodec, "plumb.overLimit", new Refusal());
            channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Connections open now, as counted (for tests). */
    public int open() {
        return open.get();
    }

    /** Answers the first request with 503, drops everything read, and closes once the request has ended. */
    private static final class Refusal extends ChannelInboundHandlerAdapter {

        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest && !answered) {
                    answered = true;
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(BODY));
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpRpcService.JSON)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length)
                            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                            .set(HttpHeaderNames.RETRY_AFTER, "1");
                    ctx.writeAndFlush(response);
                }
                if (msg instanceof LastHttpContent && answered) {
                    // the request was read to its end: closing now sends no reset that could destroy the reply
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
