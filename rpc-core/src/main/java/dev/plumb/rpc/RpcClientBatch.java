package dev.plumb.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A client-side batch: calls and notifications collected, then sent as one JSON array.
 *
 * <pre>{@code
 * RpcClientBatch batch = peer.batch();
 * Mono<Integer> sum = batch.call("sum", List.of(1, 2, 4), Integer.class);
 * batch.notify("notify_hello", List.of(7));
 * batch.send().then(sum).subscribe(...);
 * }</pre>
 *
 * <p>Each call's {@code Mono} completes when its response arrives (responses may come in any order); it has the
 * peer's timeout, counted from its subscription. Not thread-safe while being filled; sent once.
 */
public final class RpcClientBatch {

    private final RpcPeer peer;
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Mono<?>> calls = new ArrayList<>();
    private final AtomicBoolean sent = new AtomicBoolean();

    RpcClientBatch(RpcPeer peer) {
        this.peer = peer;
    }

    /** Adds a call; its result as a Jackson tree. */
    public Mono<JsonNode> call(String method, @Nullable Object params) {
        return add(method, params).map(peer.codecForBatch()::tree);
    }

    /** Adds a call whose result is bound to {@code type}; a null result completes empty. */
    public <T> Mono<T> call(String method, @Nullable Object params, Class<T> type) {
        return add(method, params).handle((raw, sink) -> {
            if (!raw.isNull()) {
                sink.next(peer.codecForBatch().bind(raw, type));
            }
        });
    }

    private Mono<RawJson> add(String method, @Nullable Object params) {
        checkNotSent();
        Mono<RawJson> m = peer.registerBatchCall(peer.nextId(), frames, method, params).cache();
        calls.add(m);
        return m;
    }

    /** Adds a notification. */
    public RpcClientBatch notify(String method, @Nullable Object params) {
        checkNotSent();
        frames.add(peer.codecForBatch().encodeNotification(method, params));
        return this;
    }

    /** How many calls and notifications were added. */
    public int size() {
        return frames.size();
    }

    /** Sends the batch when subscribed; completes when every call in it has been answered or has failed. */
    public Mono<Void> send() {
        return Mono.defer(() -> {
            if (frames.isEmpty()) {
                return Mono.error(new IllegalStateException("an empty batch cannot be sent"));
            }
            if (!sent.compareAndSet(false, true)) {
                return Mono.error(new IllegalStateException("this batch was already sent"));
            }
            return peer.sendBatch(peer.codecForBatch().encodeBatch(frames))
                    .then(Mono.whenDelayError(calls.stream().map(c -> c.onErrorResume(e -> Mono.empty())).toList()));
        });
    }

    private void checkNotSent() {
        if (sent.get()) {
            throw new IllegalStateException("this batch was already sent");
        }
    }
}
