package dev.plumb.rpc.web.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Serves JSON-RPC {@code POST}s in a reactor-netty route, following {@link HttpRpcService}'s mapping. */
public final class NettyRpcHandler
        implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

    /**
     * How much of a body beyond the limit is read and discarded before the 413 and the close, so that the 413
     * reaches the client (closing with unread input makes TCP send a reset, which can destroy it); also how large
     * a body announced with another refusal (401, 405, 415) may be to be read first.
     */
    static final long DRAIN_BYTES = 1024 * 1024;

    private final HttpRpcService service;

    /** A handler for {@code service}. */
    public NettyRpcHandler(HttpRpcService service) {
        this.service = service;
    }

    @Override
    public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders headers = request.requestHeaders();
        long length = contentLength(headers);
        String method = request.method().name();
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        HttpRpcService.Admission quick = service.admitWithoutAuthenticator(method, contentType, length);
        if (quick != null) {
            return proceed(request, response, headers, length, quick);
        }
        return service.admit(method, contentType, length,
                        new NettyAuthRequest(headers, request.uri(), request.remoteAddress()))
                .flatMap(admission -> proceed(request, response, headers, length, admission));
    }

    private Mono<Void> proceed(HttpServerRequest request, HttpServerResponse response, HttpHeaders headers,
                               long length, HttpRpcService.Admission admission) {
        int limit = service.options().maxBodyBytes();
        HttpReply refusal = admission.refusal();
        if (refusal != null) {
            // a body announced within reach is read (and dropped) before the refusal, as a chunked one is: closing
            // with unread input makes TCP send a reset, which can destroy the reply before the client reads it
            long readFirst = refusal.status() == 413 ? limit + DRAIN_BYTES : DRAIN_BYTES;
            if (length > 0 && length <= readFirst) {
                return request.receive().then(Mono.defer(() -> send(response, refusal)))
                        .onErrorResume(NettyRpcHandler::isRequestTimeout, e -> send(response, refusal));
            }
            return send(response, refusal);
        }
        return request.receive()
                .reduceWith(() -> new BodyAccumulator(limit, length, DRAIN_BYTES),
                        (acc, buf) -> acc.add(buf.readableBytes(),
                                (from, target, off, len) -> buf.getBytes(buf.readerIndex() + from, target, off, len)))
                .flatMap(acc -> {
                    if (acc.overflowed()) {
                        // read to its end: the close sends no reset
                        return send(response, acc.outOfMemory() ? service.tooLargeForMemory(acc.size())
                                : service.tooLarge());
                    }
                    Object reply = service.answerEagerly(acc.toByteArray(), headers.get(HttpHeaderNames.ACCEPT),
                            admission.principal(), HeaderMetadata.of(headers));
                    if (reply instanceof HttpReply ready) {
                        return send(response, ready); // answered synchronously: no operators in between
                    }
                    @SuppressWarnings("unchecked")
                    Mono<HttpReply> later = (Mono<HttpReply>) reply;
                    return later.flatMap(r -> send(response, r));
                })
                .onErrorResume(BodyTooLargeException.class, e -> send(response, e.outOfMemory()
                        ? service.tooLargeForMemory(e.size()) : service.tooLarge()))
                .onErrorResume(NettyRpcHandler::isRequestTimeout, e -> send(response, HttpRpcService.requestTimeout()));
    }

    /**
     * Whether {@code e} is reactor-netty's signal that the body did not arrive within {@code HttpServer.requestTimeout}
     * (its class is package-private, so it is known by name).
     */
    static boolean isRequestTimeout(Throwable e) {
        return e.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException");
    }

    private static long contentLength(HttpHeaders headers) {
        String v = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Sends {@code reply} on {@code response}. */
    static Mono<Void> send(HttpServerResponse response, HttpReply reply) {
        response.status(reply.status());
        if (reply.contentType() != null) {
            response.header(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        }
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            response.header(h.getKey(), h.getValue());
        }
        if (reply.close()) {
            response.keepAlive(false);
        }
        if (reply.stream() != null) {
            return response.send(reply.stream().map(Unpooled::wrappedBuffer)).then();
        }
        if (reply.body() == null) {
            return response.send();
        }
        byte[] body = reply.body();
        if (body.length <= SLICE_BYTES) {
            return response.send(Mono.just(Unpooled.wrappedBuffer(body))).then();
        }
        response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
        return response.send(slices(body)).then();
    }

    /** Bodies larger than this are written in slices of this size. */
    static final int SLICE_BYTES = 256 * 1024;

    /**
     * {@code body} as consecutive slices of at most {@link #SLICE_BYTES} (wrapped, not copied). Netty copies a heap
     * buffer into a direct one to write it; slice by slice, that takes a slice's worth of direct memory at a time
     * instead of a second copy of the whole body.
     */
    public static Flux<ByteBuf> slices(byte[] body) {
        int n = (body.length + SLICE_BYTES - 1) / SLICE_BYTES;
        return Flux.range(0, n).map(i -> {
            int from = i * SLICE_BYTES;
            return Unpooled.wrappedBuffer(body, from, Math.min(SLICE_BYTES, body.length - from));
        });
    }
}
