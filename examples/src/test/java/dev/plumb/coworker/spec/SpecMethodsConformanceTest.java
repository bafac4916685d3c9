package dev.plumb.coworker.spec;

import dev.plumb.rpc.test.SpecExample;
import dev.plumb.rpc.test.SpecExamples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code coworker spec-server}'s methods (with their OpenRPC documents, a variadic {@code sum} and an {@code echo})
 * answer every example of the specification as a strict server does, checked with rpc-test's {@link SpecExamples}.
 */
@Timeout(60)
class SpecMethodsConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.plumb.rpc.test.SpecExamples#all")
    void theSpecServerAnswersAsTheSpecificationShows(SpecExample example) {
        byte[] reply = SpecMethods.router().respond(example.request().getBytes(StandardCharsets.UTF_8))
                .block(Duration.ofSeconds(5));
        example.assertAnswer(reply == null ? null : new String(reply, StandardCharsets.UTF_8));
    }
}
