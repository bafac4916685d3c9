package dev.plumb.rpc.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * The HTTP reply to a batch, from the pieces of its JSON array ({@link dev.plumb.rpc.RpcRouter#respondInPieces}):
 * a batch reply up to {@link #WHOLE_UP_TO} bytes is one body with a {@code Content-Length}, as any reply; a larger
 * one is sent chunked as its pieces come, so the server never holds every member's response at once. The pieces
 * are read one at a time and, once streaming, only as fast as the connection takes them. No piece at all (a batch
 * of notifications) is {@code 204}.
 */
final class BatchReply extends BaseSubscriber<byte[]> {

    /** Batch replies up to this many bytes (1 MiB) are sent whole, with a Content-Length. */
    static final int WHOLE_UP_TO = 1 << 20;

    private final MonoSink<HttpReply> reply;
    private final int wholeUpTo;
    private final UnaryOperator<byte[]> shown;
    private final List<byte[]> head = new ArrayList<>();
    private long headBytes;
    /**
     * Where pieces go once the reply is streaming (set before anything more is requested); it keeps what comes
     * before the connection subscribes, the end included.
     */
    private volatile Sinks.Many<byte[]> rest;

    private BatchReply(MonoSink<HttpReply> reply, int wholeUpTo, UnaryOperator<byte[]> shown) {
        this.reply = reply;
        this.wholeUpTo = wholeUpTo;
        this.shown = shown;
    }

    /**
     * The reply to a batch whose array comes as {@code pieces}; {@code shown} sees each piece (or the whole body)
     * as it goes out, for the wire tap.
     */
    static Mono<HttpReply> of(Flux<byte[]> pieces, int wholeUpTo, UnaryOperator<byte[]> shown) {
        return Mono.create(sink -> {
            BatchReply r = new BatchReply(sink, wholeUpTo, shown);
            sink.onCancel(r);
            pieces.subscribe(r);
        });
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        request(1);
    }

    @Override
    protected void hookOnNext(byte[] piece) {
        Sinks.Many<byte[]> streaming = rest;
        if (streaming != null) {
            streaming.tryEmitNext(shown.apply(piece)); // pieces come one at a time, as requested: never refused
            return;
        }
        head.add(piece);
        headBytes += piece.length;
        if (headBytes <= wholeUpTo) {
            request(1);
            return;
        }
        // too large to hold: send what is here, then each piece as the connection asks for more
        List<byte[]> first = List.copyOf(head);
        head.clear();
        Sinks.Many<byte[]> tail = Sinks.many().unicast().onBackpressureBuffer();
        rest = tail;
        Flux<byte[]> body = Flux.fromIterable(first).map(shown)
                .concatWith(tail.asFlux().doOnRequest(this::request).doOnCancel(this::cancel));
        reply.success(HttpReply.streamed(200, HttpRpcService.JSON, body));
    }

    @Override
    protected void hookOnComplete() {
        Sinks.Many<byte[]> streaming = rest;
        if (streaming != null) {
            streaming.tryEmitComplete();
        } else if (head.isEmpty()) {
            reply.success(HttpReply.empty(204));
        } else {
            reply.success(HttpReply.of(200, HttpRpcService.JSON, shown.apply(join(head))));
        }
    }

    @Override
    protected void hookOnError(Throwable e) {
        Sinks.Many<byte[]> streaming = rest;
        if (streaming != null) {
            streaming.tryEmitError(e);
        } else {
            reply.error(e);
        }
    }

    private static byte[] join(List<byte[]> pieces) {
        int n = 0;
        for (byte[] p : pieces) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
