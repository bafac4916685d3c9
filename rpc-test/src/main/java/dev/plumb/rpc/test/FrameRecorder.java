package dev.plumb.rpc.test;

import dev.plumb.rpc.RpcConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A connection that records every frame that crosses it, both ways, for assertions on what went over the wire:
 * wrap the connection a peer is built on, then look at {@link #sent()} and {@link #received()} as JSON trees.
 *
 * <pre>{@code
 * FrameRecorder wire = FrameRecorder.wrap(connection);
 * RpcPeer peer = RpcPeer.builder(wire).connect();
 * peer.notify("log", List.of("hi")).block();
 * assertThat(wire.sentMethods()).containsExactly("log");
 * assertThat(wire.sent().get(0).has("id")).isFalse();
 * }</pre>
 *
 * <p>Frames are recorded as they pass: a sent frame when the transport takes it, a received one when the peer
 * reads it. The lists are snapshots, safe to read from any thread while frames still flow.
 */
public final class FrameRecorder implements RpcConnection {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RpcConnection delegate;
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    private FrameRecorder(RpcConnection delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** A recorder in front of {@code connection}; give the recorder, not the connection, to the peer. */
    public static FrameRecorder wrap(RpcConnection connection) {
        return new FrameRecorder(connection);
    }

    @Override
    public Flux<byte[]> receive() {
        return delegate.receive().doOnNext(frame -> received.add(text(frame)));
    }

    @Override
    public Mono<Void> send(Publisher<byte[]> frames) {
        return delegate.send(Flux.from(frames).doOnNext(frame -> sent.add(text(frame))));
    }

    @Override
    public Mono<Void> onClose() {
        return delegate.onClose();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public boolean isDisposed() {
        return delegate.isDisposed();
    }

    @Override
    public String description() {
        return delegate.description();
    }

    private static String text(byte[] frame) {
        return frame == RpcConnection.OVERSIZED_FRAME ? "" : new String(frame, StandardCharsets.UTF_8);
    }

    /** The frames sent so far, as text, in order. */
    public List<String> sentText() {
        return List.copyOf(sent);
    }

    /** The frames received so far, as text, in order (an oversized frame the transport dropped is {@code ""}). */
    public List<String> receivedText() {
        return List.copyOf(received);
    }

    /** The frames sent so far, each parsed as JSON (a batch is an array node), in order. */
    public List<JsonNode> sent() {
        return parse(sent);
    }

    /** The frames received so far, each parsed as JSON, in order. */
    public List<JsonNode> received() {
        return parse(received);
    }

    /**
     * The {@code method} of every request and notification sent so far, in order, batch members included; the
     * protocol's own ({@code $/cancelRequest}, {@code $/stream/…}) too.
     */
    public List<String> sentMethods() {
        return methods(sent());
    }

    /** The {@code method} of every request and notification received so far, in order, batch members included. */
    public List<String> receivedMethods() {
        return methods(received());
    }

    /** The sent messages (batch members one by one) that match {@code filter}, in order. */
    public List<JsonNode> sentMessages(Predicate<? super JsonNode> filter) {
        return messages(sent()).stream().filter(filter).toList();
    }

    /** The received messages (batch members one by one) that match {@code filter}, in order. */
    public List<JsonNode> receivedMessages(Predicate<? super JsonNode> filter) {
        return messages(received()).stream().filter(filter).toList();
    }

    /** Forgets what was recorded so far, to look at what comes next. */
    public void clear() {
        sent.clear();
        received.clear();
    }

    private static List<JsonNode> parse(List<String> frames) {
        return frames.stream().map(f -> f.isEmpty() ? JSON.missingNode() : JSON.readTree(f)).toList();
    }

    private static List<JsonNode> messages(List<JsonNode> frames) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode frame : frames) {
            if (frame.isArray()) {
                frame.forEach(out::add);
            } else {
                out.add(frame);
            }
        }
        return out;
    }

    private static List<String> methods(List<JsonNode> frames) {
        return messages(frames).stream().filter(m -> m.has("method")).map(m -> m.get("method").asString()).toList();
    }
}
