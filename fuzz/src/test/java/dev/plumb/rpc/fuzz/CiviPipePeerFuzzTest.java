package dev.plumb.rpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcConnectionClosedException;
import dev.plumb.rpc.RpcException;
import dev.plumb.rpc.pipe.CiviPipe;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A peer in the {@code Civi::pipe} dialect (prefix {@code ZZ}, noise dropped, an id-less error given to the one
 * call in flight) with one call in flight, reading any bytes from the child: the call ends with a result, a typed
 * {@link RpcException}, or stays pending until the close fails it with {@link RpcConnectionClosedException};
 * whatever the peer answers is specification-valid; nothing is thrown or logged as an error.
 */
class CiviPipePeerFuzzTest {

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void theCallInFlightEndsTypedAndRepliesAreValid(byte[] input) {
        PeerHarness h = new PeerHarness(CiviPipe.dialect().responsePrefix("ZZ").peerDialect());
        AtomicReference<Object> outcome = new AtomicReference<>();
        try {
            h.peer.callRaw("echo", List.of(1)).subscribe(outcome::set, outcome::set);
            h.feed(input);
            Object o = outcome.get();
            if (o instanceof Throwable t && !(t instanceof RpcException)) {
                throw new AssertionError("the call failed with an untyped " + t, t);
            }
            assertThat(o == null || o instanceof RawJson || o instanceof RpcException).isTrue();
            for (byte[] reply : h.replies()) {
                ReplyCheck.reply(input, h.ids, reply);
            }
        } finally {
            h.close();
        }
        Object after = outcome.get();
        assertThat(after).as("the call's outcome after close").isNotNull();
        if (after instanceof Throwable t) {
            assertThat(t).isInstanceOf(RpcException.class);
        }
    }
}
