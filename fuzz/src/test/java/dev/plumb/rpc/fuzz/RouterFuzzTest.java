package dev.plumb.rpc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.RpcRouter;
import java.time.Duration;

/**
 * {@link RpcRouter#respond(byte[])}, what stateless transports run, on any frame: it never throws or fails, and
 * answers with a specification-valid response (or batch of them) or nothing.
 */
class RouterFuzzTest {

    private static final RpcRouter ROUTER = FuzzRouter.build();

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void everyFrameGetsAValidReplyOrNone(byte[] input) {
        LoggedErrors.clear();
        byte[] reply = ROUTER.respond(input).block(Duration.ofSeconds(10));
        if (reply != null) {
            ReplyCheck.reply(input, reply);
        }
        LoggedErrors.assertNone();
    }
}
