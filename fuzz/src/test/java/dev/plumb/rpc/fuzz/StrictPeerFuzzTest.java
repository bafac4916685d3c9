package dev.plumb.rpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.RpcDialect;

/**
 * A peer in the strict dialect (what a pipe or TCP server runs) reading any bytes as newline-delimited frames:
 * at most one reply per frame, every reply specification-valid with the request's id or null, no Java name in
 * any, no exception caught and logged, nothing pending after close.
 */
class StrictPeerFuzzTest {

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void everyFrameGetsAtMostOneValidReply(byte[] input) {
        PeerHarness h = new PeerHarness(RpcDialect.strict());
        try {
            h.feed(input);
            var replies = h.replies();
            assertThat(replies.size()).as("replies").isLessThanOrEqualTo(h.frames.size());
            for (byte[] reply : replies) {
                ReplyCheck.reply(input, h.ids, reply);
            }
        } finally {
            h.close();
        }
    }
}
