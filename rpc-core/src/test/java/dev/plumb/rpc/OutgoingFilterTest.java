package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Outgoing filters on a peer: metadata the other side sees, retries, order, and the failure contract. */
@Timeout(30)
class OutgoingFilterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final List<String> seenTenants = new CopyOnWriteArrayList<>();
    private final RpcRouter server = RpcRouter.builder()
            .method("tenant", () -> RpcMetadata.current().map(m -> m.getOrDefault("tenant", "none")))
            .method("flaky", () -> Mono.defer(() -> flakyCalls.incrementAndGet() < 3
                    ? Mono.error(new RpcErrorException(-32050, "try again")) : Mono.just("ok")))
            .method("count", Integer.class, n -> Flux.range(1, n))
            .method("note", () -> RpcMetadata.current().doOnNext(m -> seenTenants.add(m.get("tenant"))).then())
            .build();
    private final List<RpcPeer> peers = new ArrayList<>();

    private RpcPeer client(RpcClientFilter... filters) {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        peers.add(RpcPeer.builder(pair.right()).router(server).connect());
        RpcPeer.Builder b = RpcPeer.builder(pair.left());
        for (RpcClientFilter f : filters) {
            b = b.filter(f);
        }
        RpcPeer p = b.connect();
        peers.add(p);
        return p;
    }

    @AfterEach
    void close() {
        peers.forEach(RpcPeer::dispose);
    }

    @Test
    void metadataAddedByAFilterIsSeenByTheServerForCallsNotificationsAndStreams() {
        RpcClientFilter tenant = (call, next) -> next.proceed(call.withMetadata("tenant", "acme"));
        RpcPeer peer = client(tenant);

        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("acme");
        peer.notify("note", null).block(WAIT);
        assertThat(peer.stream("count", 3, Integer.class).collectList().block(WAIT)).containsExactly(1, 2, 3);
        // the notification ran: wait for it through a call that follows it on the same connection
        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("acme");
        assertThat(seenTenants).containsExactly("acme");
    }

    @Test
    void withoutAFilterNoMetadataGoesOnTheWire() {
        List<String> out = new CopyOnWriteArrayList<>();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        peers.add(RpcPeer.builder(pair.right()).router(server).connect());
        RpcPeer peer = RpcPeer.builder(pair.left())
                .wireTap((name, dir, frame) -> out.add(new String(frame)))
                .connect();
        peers.add(peer);
        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("none");
        assertThat(out).noneMatch(f -> f.contains(RpcMetadata.MEMBER));
    }

    @Test
    void aRetryFilterSendsTheCallAgainAsANewRequest() {
        List<String> ids = new CopyOnWriteArrayList<>();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        peers.add(RpcPeer.builder(pair.right()).router(server).connect());
        RpcPeer peer = RpcPeer.builder(pair.left())
                .filter((call, next) -> next.proceed(call).retry(5))
                .wireTap((name, dir, frame) -> {
                    if (dir == RpcWireTap.Direction.OUT) {
                        ids.add(new String(frame).replaceAll(".*\"id\":(\\d+).*", "$1"));
                    }
                })
                .connect();
        peers.add(peer);

        assertThat(peer.call("flaky", null, String.class).block(WAIT)).isEqualTo("ok");
        assertThat(flakyCalls).hasValue(3);
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void filtersRunInTheOrderAddedTheFirstOutermost() {
        List<String> trace = new CopyOnWriteArrayList<>();
        RpcClientFilter outer = (call, next) -> {
            trace.add("outer>");
            return next.proceed(call.withMetadata("tenant", "outer")).doOnComplete(() -> trace.add("<outer"));
        };
        RpcClientFilter inner = (call, next) -> {
            trace.add("inner>" + call.metadata().get("tenant"));
            return next.proceed(call.withMetadata("tenant", "inner")).doOnComplete(() -> trace.add("<inner"));
        };
        RpcPeer peer = client(outer, inner);

        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("inner");
        assertThat(trace).containsExactly("outer>", "inner>outer", "<inner", "<outer");
    }

    /** Counts the calls it is run for; skips the methods named in {@code skipped}. */
    private static RpcClientFilter counting(AtomicInteger runs, String... skipped) {
        return new RpcClientFilter() {
            @Override
            public Flux<RawJson> filter(RpcClientCall call, Next next) {
                runs.incrementAndGet();
                return next.proceed(call.withMetadata("tenant", "filtered"));
            }

            @Override
            public boolean skips(RpcClientCall call) {
                return List.of(skipped).contains(call.method());
            }
        };
    }

    @Test
    void aCallEveryFilterSkipsIsSentWithoutTheChainAndAFilterThatSkipsIsPassedBy() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        RpcPeer peer = client(counting(first, "tenant", "note", "count"), counting(second, "tenant", "count"));

        // skipped by both: sent as without filters (no metadata), for calls, typed calls and streams
        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("none");
        assertThat(peer.callRaw("tenant", null).block(WAIT).toString()).isEqualTo("\"none\"");
        assertThat(peer.stream("count", 2, Integer.class).collectList().block(WAIT)).containsExactly(1, 2);
        assertThat(first).hasValue(0);
        assertThat(second).hasValue(0);
        // skipped by the first only: the chain runs, passing the first by
        peer.notify("note", null).block(WAIT);
        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("none");
        assertThat(first).hasValue(0);
        assertThat(second).hasValue(1);
        assertThat(seenTenants).containsExactly("filtered");
    }

    @Test
    void aFilterMayAnswerWithoutSendingAndMaySeeErrors() {
        List<String> out = new CopyOnWriteArrayList<>();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        peers.add(RpcPeer.builder(pair.right()).router(server).connect());
        RpcPeer peer = RpcPeer.builder(pair.left())
                .filter((call, next) -> call.method().equals("cached")
                        ? Flux.just(RawJson.of("\"from cache\"")) : next.proceed(call))
                .filter((call, next) -> next.proceed(call)
                        .onErrorMap(RpcErrorException.class, e -> new IllegalStateException("seen: " + e.getMessage())))
                .wireTap((name, dir, frame) -> out.add(new String(frame)))
                .connect();
        peers.add(peer);

        assertThat(peer.call("cached", null, String.class).block(WAIT)).isEqualTo("from cache");
        assertThat(out).isEmpty();
        assertThatThrownBy(() -> peer.call("nope", null, String.class).block(WAIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seen:");
    }

    @Test
    void aFilterThatThrowsFailsItsCallAndSendsNothing() {
        List<String> out = new CopyOnWriteArrayList<>();
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        peers.add(RpcPeer.builder(pair.right()).router(server).connect());
        RpcPeer peer = RpcPeer.builder(pair.left())
                .filter((call, next) -> next.proceed(call)
                        .onErrorResume(IllegalArgumentException.class, e -> Flux.just(RawJson.of("\"rescued\""))))
                .filter((call, next) -> {
                    throw new IllegalArgumentException("refused by a filter");
                })
                .wireTap((name, dir, frame) -> out.add(new String(frame)))
                .connect();
        peers.add(peer);

        assertThat(peer.call("tenant", null, String.class).block(WAIT)).isEqualTo("rescued");
        assertThat(out).isEmpty();
    }

    @Test
    void typedProxiesGoThroughTheFilters() {
        RpcPeer peer = client((call, next) -> next.proceed(call.withMetadata("tenant", "proxied")));
        Tenants t = peer.proxy(Tenants.class);
        assertThat(t.tenant().block(WAIT)).isEqualTo("proxied");
    }

    /** A typed view of the server. */
    @RpcService
    interface Tenants {
        /** The tenant the server saw. */
        Mono<String> tenant();
    }

    @Test
    void metadataRoundTripsThroughTheCodec() {
        RpcCodec codec = RpcCodec.defaults();
        byte[] frame = codec.encodeRequest(RpcId.of(7), "m", List.of(1), Map.of("traceparent", "00-x"));
        RpcRequest r = (RpcRequest) codec.decode(frame);
        assertThat(r.metadata()).containsEntry("traceparent", "00-x");
        assertThat(r.params().toString()).isEqualTo("[1]");
        assertThat(((RpcRequest) codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,\"$meta\":[1]}"
                .getBytes())).metadata()).isEmpty();
    }
}
