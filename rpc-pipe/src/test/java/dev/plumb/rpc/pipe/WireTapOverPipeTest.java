package dev.plumb.rpc.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.RpcMetadata;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcWireTap;
import dev.plumb.rpc.pipe.testkit.EchoServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wire tap and call metadata over a real subprocess pipe. */
@Timeout(60)
class WireTapOverPipeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One frame the tap saw. */
    record Seen(String connection, RpcWireTap.Direction direction, String frame) {
    }

    @Test
    void theTapSeesEveryFrameBothWaysInOrder() {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        PipeConnection child = PipeTransport.command(EchoServer.command()).name("echo-child").connect().block(WAIT);
        RpcPeer peer = RpcPeer.builder(child)
                .wireTap((name, dir, frame) -> seen.add(new Seen(name, dir, new String(frame))))
                .connect();
        try {
            assertThat(peer.call("echo", List.of("hi")).block(WAIT).toString()).isEqualTo("[\"hi\"]");
            assertThat(peer.stream("ticks", List.of(2), Integer.class).collectList().block(WAIT))
                    .containsExactly(0, 1);
        } finally {
            peer.dispose();
        }
        assertThat(seen.get(0)).isEqualTo(new Seen(peer.name(), RpcWireTap.Direction.OUT,
                "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"hi\"],\"id\":1}"));
        assertThat(seen.get(1).direction()).isEqualTo(RpcWireTap.Direction.IN);
        assertThat(seen.get(1).frame()).contains("\"result\":[\"hi\"]").contains("\"id\":1");
        assertThat(seen).filteredOn(s -> s.direction() == RpcWireTap.Direction.OUT)
                .extracting(Seen::frame).anyMatch(f -> f.contains("$/stream/open"));
        assertThat(seen).filteredOn(s -> s.direction() == RpcWireTap.Direction.IN)
                .extracting(Seen::frame).anyMatch(f -> f.contains("$/stream/next"));
    }

    @Test
    void metadataAddedByAnOutgoingFilterReachesTheChildsHandler() {
        PipeConnection child = PipeTransport.command(EchoServer.command()).connect().block(WAIT);
        RpcPeer peer = RpcPeer.builder(child)
                .filter((call, next) -> next.proceed(call.withMetadata("tenant", "acme")))
                .connect();
        try {
            assertThat(peer.call("meta", null).block(WAIT).get("tenant").asString()).isEqualTo("acme");
        } finally {
            peer.dispose();
        }
        assertThat(RpcMetadata.MEMBER).isEqualTo("$meta");
    }
}
