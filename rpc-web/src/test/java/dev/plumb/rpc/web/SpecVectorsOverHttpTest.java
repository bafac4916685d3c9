package dev.plumb.rpc.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.test.SpecExample;
import dev.plumb.rpc.test.SpecExamples;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import reactor.netty.DisposableServer;

/** Every example of the JSON-RPC 2.0 specification (and the supplementary vectors) over a real HTTP server. */
@Timeout(60)
class SpecVectorsOverHttpTest {

    private static DisposableServer server;
    private static URI uri;

    @BeforeAll
    static void start() {
        server = HttpRpcServer.create().host("127.0.0.1").port(0).router(new SpecMethods().router()).bindNow();
        uri = URI.create("http://127.0.0.1:" + server.port() + "/rpc");
    }

    @AfterAll
    static void stop() {
        server.disposeNow();
    }

    @TestFactory
    Stream<DynamicTest> everySpecVectorOverHttp() {
        List<SpecExample> examples = SpecExamples.all();
        assertThat(examples).hasSizeGreaterThan(25);
        return examples.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> check(e)));
    }

    /** An answer is a 200 with a JSON body; nothing to return is a 204 with none. */
    private static void check(SpecExample example) {
        HttpResponse<String> r = RawHttp.post(uri, example.request());
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
