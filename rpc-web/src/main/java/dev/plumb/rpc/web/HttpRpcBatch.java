package dev.plumb.rpc.web;

import dev.plumb.rpc.RpcBatch;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcProtocolException;
import dev.plumb.rpc.RpcResponse;
import dev.plumb.rpc.RpcTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Calls and notifications sent together as one JSON-RPC batch in one HTTP request.
 *
 * <pre>{@code
 * client.batch().call("sum", List.of(1, 2, 4)).notify("log", List.of("hi")).call("get_data", null).send()
 *     // Mono<List<RpcResponse>>: one response per call, in the order the calls were added
 * }</pre>
 *
 * <p>Immutable: adding returns a new batch. Each {@link RpcResponse} carries its own result or error; the
 * {@code Mono} fails only when the batch as a whole failed (HTTP error, unreadable reply, a reply missing).
 */
public final class HttpRpcBatch {

    private record Entry(String method, @Nullable Object params, boolean notification) {
    }

    private final HttpRpcClient client;
    private final List<Entry> entries;

    HttpRpcBatch(HttpRpcClient client, List<Entry> entries) {
        this.client = client;
        this.entries = entries;
    }

    /** This batch plus a call of {@code method}. */
    public HttpRpcBatch call(String method, @Nullable Object params) {
        return plus(new Entry(Objects.requireNonNull(method, "method"), params, false));
    }

    /** This batch plus a notification of {@code method}. */
    public HttpRpcBatch notify(String method, @Nullable Object params) {
        return plus(new Entry(Objects.requireNonNull(method, "method"), params, true));
    }

    private HttpRpcBatch plus(Entry e) {
        List<Entry> l = new ArrayList<>(entries);
        l.add(e);
        return new HttpRpcBatch(client, List.copyOf(l));
    }

    /** How many calls and notifications the batch holds. */
    public int size() {
        return entries.size();
    }

    /** Sends the batch; the responses in call order (empty when it held only notifications). */
    public Mono<List<RpcResponse>> send() {
        if (entries.isEmpty()) {
            return Mono.error(new IllegalStateException("an empty batch cannot be sent"));
        }
        return Mono.defer(() -> {
            RpcCodec codec = client.codecUsed();
            List<RpcId> ids = new ArrayList<>();
            List<byte[]> encoded = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                if (e.notification()) {
                    encoded.add(codec.encodeNotification(e.method(), e.params()));
                } else {
                    RpcId id = client.nextId();
                    ids.add(id);
                    encoded.add(codec.encodeRequest(id, e.method(), e.params()));
                }
            }
            return client.exchange().post(codec.encodeBatch(encoded), false)
                    .map(bytes -> match(bytes, ids, codec))
                    .timeout(client.timeoutUsed(),
                            Mono.error(() -> new RpcTimeoutException("batch", client.timeoutUsed())));
        });
    }

    private static List<RpcResponse> match(byte[] bytes, List<RpcId> ids, RpcCodec codec) {
        if (bytes.length == 0) {
            if (ids.isEmpty()) {
                return List.of();
            }
            throw new RpcProtocolException("the server answered a batch of " + ids.size() + " calls with nothing");
        }
        RpcPacket packet = codec.decode(bytes);
        if (packet instanceof RpcResponse single && single.isError()) {
            throw new RpcErrorException(single.error()); // the batch as a whole was refused (parse error…)
        }
        if (!(packet instanceof RpcBatch batch)) {
            throw new RpcProtocolException("expected a batch answer, got " + packet);
        }
        Map<RpcId, RpcResponse> byId = new HashMap<>();
        for (RpcPacket member : batch.members()) {
            if (member instanceof RpcResponse r) {
                byId.put(r.id(), r);
            }
        }
        List<RpcResponse> out = new ArrayList<>(ids.size());
        for (RpcId id : ids) {
            RpcResponse r = byId.get(id);
            if (r == null) {
                throw new RpcProtocolException("the batch answer has no response for id " + id);
            }
            out.add(r);
        }
        return List.copyOf(out);
    }
}
