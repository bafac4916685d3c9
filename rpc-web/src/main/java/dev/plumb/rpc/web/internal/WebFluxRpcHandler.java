package dev.plumb.rpc.web.internal;

import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** Serves JSON-RPC {@code POST}s as a WebFlux {@link HandlerFunction}, following {@link HttpRpcService}'s mapping. */
public final class WebFluxRpcHandler implements HandlerFunction<ServerResponse> {

    private final HttpRpcService service;

    /** A handler for {@code service}. */
    public WebFluxRpcHandler(HttpRpcService service) {
        this.service = service;
    }

    @Override
    public Mono<ServerResponse> handle(ServerRequest request) {
        HttpHeaders headers = request.headers().asHttpHeaders();
        long length = headers.getContentLength();
        return service.admit(request.method().name(), headers.getFirst(HttpHeaders.CONTENT_TYPE), length,
                        new WebFluxAuthRequest(request))
                .flatMap(admission -> {
                    if (admission.refusal() != null) {
                        return toResponse(admission.refusal());
                    }
                    Mono<HttpReply> reply = readBody(request, length)
                            .flatMap(body -> service.answer(body, headers.getFirst(HttpHeaders.ACCEPT),
                                    admission.principal(), metadataOf(headers)))
                            .onErrorResume(BodyTooLargeException.class, e -> Mono.just(e.outOfMemory()
                                    ? service.tooLargeForMemory(e.size()).closing() : service.tooLarge()));
                    return reply.flatMap(WebFluxRpcHandler::toResponse);
                });
    }

    private static Map<String, String> metadataOf(HttpHeaders headers) {
        return new HeaderMetadata(headers::getFirst, () -> headers.toSingleValueMap().entrySet().iterator());
    }

    private Mono<byte[]> readBody(ServerRequest request, long length) {
        int limit = service.options().maxBodyBytes();
        Mono<BodyAccumulator> collected = request.bodyToFlux(DataBuffer.class)
                .reduceWith(() -> new BodyAccumulator(limit, length), (acc, buffer) -> {
                    try {
                        // the accumulator asks for a chunk's bytes in order, so reading on from the position works
                        return acc.add(buffer.readableByteCount(), (from, t, off, len) -> buffer.read(t, off, len));
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                });
        return collected.map(BodyAccumulator::toByteArray);
    }

    private static Mono<ServerResponse> toResponse(HttpReply reply) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(reply.status());
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            builder.header(h.getKey(), h.getValue());
        }
        if (reply.close()) {
            builder.header(HttpHeaders.CONNECTION, "close");
        }
        if (reply.contentType() == null || (reply.body() == null && reply.stream() == null)) {
            return builder.build();
        }
        builder.contentType(MediaType.parseMediaType(reply.contentType()));
        DefaultDataBufferFactory factory = DefaultDataBufferFactory.sharedInstance;
        if (reply.stream() == null) {
            byte[] bytes = reply.body();
            return builder.contentLength(bytes.length)
                    .body(BodyInserters.fromDataBuffers(bytes.length <= NettyRpcHandler.SLICE_BYTES
                            ? Mono.just(factory.wrap(bytes))
                            : NettyRpcHandler.slices(bytes).map(b -> factory.wrap(b.nioBuffer()))));
        }
        return builder.body(BodyInserters.fromDataBuffers(reply.stream().map(factory::wrap)));
    }
}
