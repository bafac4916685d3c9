package dev.plumb.rpc.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.rpc.spring.spec.SpecApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every example of the JSON-RPC 2.0 specification (and the supplementary vectors) against a Boot application over
 * real HTTP, read and checked as rpc-web's {@code SpecVectorsOverHttpTest} does against {@code HttpRpcServer}.
 */
@SpringBootTest(classes = SpecApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
class SpecVectorsOverBootTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @LocalServerPort
    int port;

    /** One request and the responses accepted for it (none: nothing is returned). */
    record Vector(String section, String request, List<String> accepted) {
    }

    @TestFactory
    Stream<DynamicTest> everySpecVectorOverBootsHttp() throws IOException {
        List<Vector> vectors = parse();
        assertThat(vectors).hasSizeGreaterThan(25);
        URI uri = URI.create("http://127.0.0.1:" + port + "/rpc");
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.section() + " :: " + oneLine(v.request()),
                () -> check(uri, v)));
    }

    private static void check(URI uri, Vector v) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(v.request())).build(), HttpResponse.BodyHandlers.ofString());
        if (v.accepted().isEmpty()) {
            assertThat(r.statusCode()).as("nothing is returned").isEqualTo(204);
            assertThat(r.body()).isEmpty();
            return;
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        JsonNode actual = normalize(JSON.readTree(r.body()));
        List<JsonNode> expected = v.accepted().stream().map(s -> normalize(JSON.readTree(s))).toList();
        assertThat(expected).as("response %s", r.body()).contains(actual);
    }

    /** Drops error.data (implementation-defined) and sorts batch answers (their order is free). */
    private static JsonNode normalize(JsonNode n) {
        if (n.isArray()) {
            List<JsonNode> members = new ArrayList<>();
            n.forEach(m -> members.add(normalize(m)));
            members.sort((a, b) -> a.toString().compareTo(b.toString()));
            ArrayNode out = JSON.createArrayNode();
            members.forEach(out::add);
            return out;
        }
        if (n.isObject() && n.has("error")) {
            ObjectNode copy = ((ObjectNode) n).deepCopy();
            ((ObjectNode) copy.get("error")).remove("data");
            return copy;
        }
        return n;
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ");
        return t.length() > 70 ? t.substring(0, 70) + "…" : t;
    }

    /** Reads the vectors file: "-->" starts a request, "<--" an accepted response; either may span lines. */
    static List<Vector> parse() throws IOException {
        String text;
        try (InputStream in = SpecVectorsOverBootTest.class.getResourceAsStream("/jsonrpc-spec.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Vector> out = new ArrayList<>();
        String section = "";
        String request = null;
        List<String> accepted = new ArrayList<>();
        StringBuilder current = null;
        boolean currentIsRequest = false;
        for (String line : (text + "\n=====").split("\n")) {
            boolean boundary = line.startsWith("=====") || line.startsWith("#") || line.startsWith("-->")
                    || line.startsWith("<--");
            if (boundary || line.isBlank()) {
                if (current != null) {
                    String s = current.toString().trim();
                    if (currentIsRequest) {
                        request = s;
                    } else if (!s.isEmpty()) {
                        accepted.add(s);
                    }
                    current = null;
                }
            }
            if (line.startsWith("-->") || line.startsWith("=====")) {
                if (request != null) {
                    out.add(new Vector(section, request, List.copyOf(accepted)));
                }
                request = null;
                accepted.clear();
            }
            if (line.startsWith("=====")) {
                if (line.length() > 6 && Character.isLetterOrDigit(line.charAt(6))) {
                    section = line.substring(6).trim();
                }
            } else if (line.startsWith("-->")) {
                current = new StringBuilder(line.substring(3));
                currentIsRequest = true;
            } else if (line.startsWith("<--")) {
                String rest = line.substring(3).trim();
                if (rest.startsWith("//") || rest.startsWith("(nothing)")) {
                    continue; // "nothing is returned"
                }
                rest = rest.replaceFirst("^(strict|lenient):", "");
                current = new StringBuilder(rest);
                currentIsRequest = false;
            } else if (current != null && !line.startsWith("#") && !line.isBlank()) {
                current.append('\n').append(line);
            }
        }
        return out;
    }
}
