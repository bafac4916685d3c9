package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcReply;
import java.util.Map;
import java.util.function.Consumer;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * The producing side of one stream: subscribes to the handler's items and requests from them exactly the demand
 * the consumer sent ({@code $/stream/request}), never more. Each item goes out as {@code $/stream/next}; the end
 * goes out as the response to {@code $/stream/open}.
 */
public final class StreamProducer extends Operators.DeferredSubscription implements CoreSubscriber<Object> {

    private final RpcId id;
    private final RawJson rawId;
    private final String method;
    private final RpcCodec codec;
    private final Consumer<byte[]> emit;
    private final Runnable onDone;
    private final Scheduler scheduler;
    private volatile Disposable dispatch;
    private long count;

    /** A producer for stream {@code id} of {@code method}, writing frames with {@code emit}. */
    public StreamProducer(RpcId id, String method, RpcCodec codec, Consumer<byte[]> emit, Runnable onDone,
            Scheduler scheduler) {
        this.scheduler = scheduler;
        this.id = id;
        this.rawId = RawJson.wrap(id.json(), 0, id.json().length);
        this.method = method;
        this.codec = codec;
        this.emit = emit;
        this.onDone = onDone;
    }

    /**
     * Runs the handler and subscribes to its items (a single value counts as a stream of one). Demand reaches the
     * items on the handler scheduler, so a synchronous source never runs on the transport's inbound thread.
     */
    public void start(Mono<RpcReply> reply) {
        dispatch = reply.subscribe(r -> {
            Flux<?> items;
            if (r instanceof RpcReply.Stream s) {
                items = s.items();
            } else {
                Object v = ((RpcReply.Value) r).value();
                items = v == null ? Flux.empty() : Flux.just(v);
            }
            items.subscribeOn(scheduler, true).subscribe(this);
        }, this::onError);
    }

    @Override
    public void onSubscribe(Subscription s) {
        set(s);
    }

    @Override
    public void onNext(Object item) {
        count++;
        emit.accept(codec.encodeNotification(StreamProtocol.NEXT, new StreamProtocol.Item(rawId, item)));
    }

    @Override
    public void onError(Throwable t) {
        onDone.run();
        if (!isCancelled()) {
            emit.accept(codec.encodeError(id, ErrorMapping.toError(method, t)));
        }
    }

    @Override
    public void onComplete() {
        onDone.run();
        if (!isCancelled()) {
            emit.accept(codec.encodeResult(id, Map.of("items", count)));
        }
    }

    @Override
    public void cancel() {
        Disposable d = dispatch;
        if (d != null) {
            d.dispose();
        }
        super.cancel();
    }
}
