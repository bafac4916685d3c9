package dev.plumb.rpc.pipe;

import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcPeer;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.pipe.testkit.OrderServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

/**
 * Issue 8, "flow control and dispatch", part 1: messages on one connection reach the handlers in the order they
 * were sent, at default settings (no handler scheduler is set anywhere), over a real child process with
 * {@code Content-Length} framing.
 */
@Tag("issue-8")
@Timeout(60)
class OrderedDispatchOverPipeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int NOTIFICATIONS = 1000;
    private static final int EVERY = 10;

    /**
     * The client sends {@code n [0]} … {@code n [999]} and, after every 10th, a request {@code seen}: the server's
     * handlers must see the notifications as 0..999, and each {@code seen} must answer exactly the notifications
     * sent before it (a request neither overtakes nor is overtaken by the notifications around it).
     */
    @Test
    void aServersHandlersSeeTheClientsNotificationsAndRequestsInTheOrderSent() throws Exception {
        PipeConnection child = PipeTransport.command(OrderServer.command("record"))
                .framing(Framing.contentLength())
                .name("ordered")
                .connect()
                .block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).connect();
        try {
            List<CompletableFuture<int[]>> answers = new ArrayList<>();
            // one thread subscribes in order: each frame is queued for sending as its Mono is subscribed
            for (int i = 0; i < NOTIFICATIONS; i++) {
                peer.notify("n", List.of(i)).block(WAIT);
                if (i % EVERY == EVERY - 1) {
                    answers.add(peer.call("seen", null, int[].class).toFuture());
                }
            }
            int[] all = pollSeenUntil(peer, NOTIFICATIONS);

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(all)
                    .as("the notification numbers in the order the server's handler saw them (%d of %d came after a"
                            + " higher number)", afterAHigherOne(all), all.length)
                    .containsExactly(range(NOTIFICATIONS));
            List<String> wrong = new ArrayList<>();
            for (int k = 0; k < answers.size(); k++) {
                int[] seen = answers.get(k).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                int sentBefore = (k + 1) * EVERY;
                if (!Arrays.equals(seen, range(sentBefore))) {
                    wrong.add("seen #" + k + " (sent after n " + (sentBefore - 1) + ") answered " + seen.length
                            + " numbers" + (seen.length > 0 ? ", last " + seen[seen.length - 1] : ""));
                }
            }
            softly.assertThat(wrong)
                    .as("'seen' requests whose answer is not exactly the notifications sent before them")
                    .isEmpty();
            softly.assertAll();
        } finally {
            peer.dispose();
        }
    }

    /**
     * The child server, asked {@code emit {"n": 1000}}, sends {@code tick [0]} … {@code tick [999]} and then
     * answers: the Plumb client's notification handler must see 0..999 in order, and all of them by the time the
     * answer to {@code emit} arrives (the notifications were written before the answer on the same connection).
     */
    @Test
    void aClientsHandlersSeeTheServersNotificationsInOrderAndBeforeTheAnswerSentAfterThem() throws Exception {
        List<Integer> ticks = new ArrayList<>();
        RpcRouter router = RpcRouter.builder()
                .handler("tick", call -> {
                    int i = call.params().as(int[].class)[0];
                    synchronized (ticks) {
                        ticks.add(i);
                    }
                    return Mono.empty();
                })
                .build();
        PipeConnection child = PipeTransport.command(OrderServer.command("emit"))
                .framing(Framing.contentLength())
                .name("emitter")
                .connect()
                .block(WAIT);
        RpcPeer peer = RpcPeer.builder(child).router(router).connect();
        try {
            List<Integer> atAnswer = peer.call("emit", Map.of("n", NOTIFICATIONS), Integer.class)
                    .map(n -> {
                        synchronized (ticks) {
                            return List.copyOf(ticks);
                        }
                    })
                    .block(WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<Integer> all;
            while (true) {
                synchronized (ticks) {
                    all = List.copyOf(ticks);
                }
                if (all.size() >= NOTIFICATIONS || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(20);
            }
            int[] order = all.stream().mapToInt(Integer::intValue).toArray();

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(order)
                    .as("the tick numbers in the order the client's handler saw them (%d of %d came after a higher"
                            + " number)", afterAHigherOne(order), order.length)
                    .containsExactly(range(NOTIFICATIONS));
            softly.assertThat(atAnswer.size())
                    .as("how many ticks the client's handler had seen when the answer to 'emit' arrived")
                    .isEqualTo(NOTIFICATIONS);
            softly.assertAll();
        } finally {
            peer.dispose();
        }
    }

    /** Asks {@code seen} until it lists {@code n} numbers (or a deadline passes); its last answer. */
    private static int[] pollSeenUntil(RpcPeer peer, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            int[] seen = peer.call("seen", null, int[].class).block(WAIT);
            if (seen.length >= n || System.nanoTime() > deadline) {
                return seen;
            }
            Thread.sleep(20);
        }
    }

    private static int[] range(int n) {
        return IntStream.range(0, n).toArray();
    }

    /** How many numbers came after a higher one (were overtaken). */
    private static int afterAHigherOne(int[] order) {
        int count = 0;
        int max = -1;
        for (int i : order) {
            if (i < max) {
                count++;
            }
            max = Math.max(max, i);
        }
        return count;
    }
}
