package dev.plumb.rpc.observation;

import dev.plumb.rpc.RpcPeer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of one peer's load, registered in a Micrometer {@link MeterRegistry} and removed when the peer closes:
 * {@value #IN_FLIGHT}, {@value #PENDING}, {@value #QUEUED_FRAMES} and {@value #STREAM_CREDIT}. Needs
 * {@code micrometer-core} on the classpath.
 *
 * <pre>{@code
 * RpcPeerGauges.register(peer, meterRegistry, Tags.of("child", "indexer"));
 * }</pre>
 */
public final class RpcPeerGauges {

    /** Inbound messages being handled ({@link RpcPeer#runningCount()}): {@value}. */
    public static final String IN_FLIGHT = "plumb.rpc.peer.inbound.in.flight";
    /** Outbound calls and streams waiting for their response ({@link RpcPeer#pendingCount()}): {@value}. */
    public static final String PENDING = "plumb.rpc.peer.outbound.pending";
    /** Outbound frames waiting for the transport ({@link RpcPeer#queuedOutboundFrames()}): {@value}. */
    public static final String QUEUED_FRAMES = "plumb.rpc.peer.outbound.queued.frames";
    /** Items the other side asked for and has not received yet ({@link RpcPeer#streamCredit()}): {@value}. */
    public static final String STREAM_CREDIT = "plumb.rpc.peer.stream.credit";

    private RpcPeerGauges() {
    }

    /**
     * Registers the gauges of {@code peer} with {@code tags} (which must tell peers apart, since gauges with the same
     * name and tags are one gauge); they are removed when the peer closes.
     */
    public static void register(RpcPeer peer, MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(registry, "registry");
        List<Gauge> gauges = List.of(
                gauge(IN_FLIGHT, "inbound messages being handled", peer, RpcPeer::runningCount, registry, tags),
                gauge(PENDING, "outbound calls waiting for their response", peer, RpcPeer::pendingCount, registry,
                        tags),
                gauge(QUEUED_FRAMES, "outbound frames waiting for the transport", peer, RpcPeer::queuedOutboundFrames,
                        registry, tags),
                gauge(STREAM_CREDIT, "stream items asked for and not sent yet", peer, p -> (double) p.streamCredit(),
                        registry, tags));
        peer.onClose().subscribe(null, e -> gauges.forEach(registry::remove),
                () -> gauges.forEach(registry::remove));
    }

    private static Gauge gauge(String name, String description, RpcPeer peer, ToDoubleFunction<RpcPeer> value,
                               MeterRegistry registry, Iterable<Tag> tags) {
        return Gauge.builder(name, peer, value).description(description).tags(tags).strongReference(false)
                .register(registry);
    }
}
