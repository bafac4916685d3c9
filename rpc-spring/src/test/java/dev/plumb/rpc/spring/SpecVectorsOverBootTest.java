package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.spring.spec.SpecApp;
import dev.plumb.rpc.test.SpecExample;
import dev.plumb.rpc.test.SpecExamples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every example of the JSON-RPC 2.0 specification (and the supplementary vectors) against a Boot application over
 * real HTTP, from rpc-test's {@link SpecExamples}, as rpc-web's {@code SpecVectorsOverHttpTest} runs them against
 * {@code HttpRpcServer}.
 */
@SpringBootTest(classes = SpecApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
class SpecVectorsOverBootTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    @TestFactory
    Stream<DynamicTest> everySpecVectorOverBootsHttp() {
        List<SpecExample> examples = SpecExamples.all();
        assertThat(examples).hasSizeGreaterThan(25);
        URI uri = URI.create("http://127.0.0.1:" + port + "/rpc");
        return examples.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> check(uri, e)));
    }

    /** An answer is a 200 with a JSON body; nothing to return is a 204 with none. */
    private static void check(URI uri, SpecExample example) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(example.request())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (example.expectsNoAnswer()) {
            assertThat(r.statusCode()).as("nothing is returned").isEqualTo(204);
            assertThat(r.body()).isEmpty();
            return;
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        example.assertAnswer(r.body());
    }
}
