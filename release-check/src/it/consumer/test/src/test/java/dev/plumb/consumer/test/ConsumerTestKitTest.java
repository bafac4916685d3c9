package dev.plumb.consumer.test;

import dev.plumb.rpc.InMemoryTransport;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.test.RpcTestPair;
import dev.plumb.rpc.test.SpecExample;
import dev.plumb.rpc.test.SpecExamples;
import dev.plumb.rpc.test.SpecRouter;
import dev.plumb.rpc.test.TransportContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** rpc-test as a user's test dependency: the contract, a test pair, and the specification's examples. */
class ConsumerTestKitTest implements TransportContract {

    @Override
    public RpcConnection connectToContractServer() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        TransportContract.serve(pair.right());
        return pair.left();
    }

    @Test
    void aServiceIsTestedThroughATestPair() {
        RpcRouter service = RpcRouter.builder().method("twice", int[].class, n -> Mono.just(2 * n[0])).build();
        try (RpcTestPair pair = RpcTestPair.of(service)) {
            StepVerifier.create(pair.client().call("twice", List.of(21), Integer.class))
                    .expectNext(42).expectComplete().verify(Duration.ofSeconds(10));
            Assertions.assertEquals(List.of("twice"), pair.frames().sentMethods());
        }
    }

    @Test
    void theSpecificationsExamplesAreAnsweredByTheReferenceRouter() {
        List<SpecExample> examples = SpecExamples.all();
        Assertions.assertTrue(examples.size() > 25);
        RpcRouter router = SpecRouter.create();
        for (SpecExample e : examples) {
            byte[] reply = router.respond(e.request().getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(5));
            e.assertAnswer(reply == null ? null : new String(reply, StandardCharsets.UTF_8));
        }
    }
}
