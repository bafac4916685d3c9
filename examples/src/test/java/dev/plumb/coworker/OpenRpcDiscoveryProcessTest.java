package dev.plumb.coworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rpc.discover} asked with {@code coworker call} of a real {@code spec-server --stdio} and a real
 * {@code demo-queue} pipe: the OpenRPC document lists every method the process serves, each complete (params,
 * result unless a notification, a summary), and its {@code $ref}s resolve. The document's validity against the
 * OpenRPC meta-schema is tested in rpc-core ({@code OpenRpcDiscoveryTest}).
 */
@Timeout(90)
class OpenRpcDiscoveryProcessTest {

    @TempDir
    Path dir;

    private static String javaMain(String args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return RunCommand.quote(java) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
                + RunCommand.quote(System.getProperty("java.class.path")) + " dev.plumb.coworker.Main " + args;
    }

    @Test
    void specServerOverStdioDescribesEveryMethodItServes() throws Exception {
        JsonNode doc;
        try (CoworkerProcess p = CoworkerProcess.start(dir, "discover", "call", "--no-header", "--pipe",
                javaMain("spec-server --stdio"), "rpc.discover")) {
            assertThat(p.waitFor(60)).as(p.err()).isZero();
            doc = JsonMapper.builder().build().readTree(p.out());
        }
        assertComplete(doc, Set.of("subtract", "sum", "get_data", "update", "notify_hello", "notify_sum", "echo"));
        assertThat(doc.get("info").get("title").asString()).isEqualTo("JSON-RPC 2.0 specification examples");
        JsonNode subtract = method(doc, "subtract");
        assertThat(names(subtract.get("params"))).containsExactly("minuend", "subtrahend");
        assertThat(subtract.get("paramStructure").asString()).isEqualTo("either");
        assertThat(method(doc, "sum").get("params").get(0).get("x-variadic").asBoolean()).isTrue();
        for (String n : List.of("update", "notify_hello", "notify_sum")) {
            assertThat(method(doc, n).get("x-notification").asBoolean()).as(n).isTrue();
        }
    }

    @Test
    void theDemoQueueDescribesEveryMethodItServes() throws Exception {
        JsonNode doc;
        try (CoworkerProcess p = CoworkerProcess.start(dir, "discover", "call", "--pipe",
                RunCommand.demoPipeCommand(dir.resolve("q.db")), "rpc.discover")) {
            assertThat(p.waitFor(60)).as(p.err()).isZero();
            doc = JsonMapper.builder().build().readTree(p.out());
        }
        assertComplete(doc, Set.of("echo", "options", "login", "api4"));
        assertThat(names(method(doc, "api4").get("params"))).containsExactly("entity", "action", "params");
        assertThat(method(doc, "login").get("errors").get(0).get("code").asInt()).isEqualTo(-32099);
    }

    private static void assertComplete(JsonNode doc, Set<String> served) {
        assertThat(doc.get("openrpc").asString()).startsWith("1.3.");
        assertThat(doc.get("info").get("version").asString()).isNotEmpty();
        List<String> listed = names(doc.get("methods"));
        assertThat(listed).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(listed)).isEqualTo(new TreeSet<>(served));
        for (JsonNode m : doc.get("methods")) {
            String name = m.get("name").asString();
            assertThat(m.get("summary").asString()).as(name).isNotEmpty();
            assertThat(m.get("params").isArray()).as(name).isTrue();
            for (JsonNode p : m.get("params")) {
                assertThat(p.get("name").asString()).as(name).isNotEmpty();
                assertThat(p.get("schema").isObject()).as(name).isTrue();
            }
            if (!m.path("x-notification").asBoolean(false)) {
                assertThat(m.get("result").get("name").asString()).as(name).isEqualTo("result");
                assertThat(m.get("result").get("schema").isObject()).as(name).isTrue();
            } else {
                assertThat(m.has("result")).as(name).isFalse();
            }
        }
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        for (String ref : refs) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static JsonNode method(JsonNode doc, String name) {
        for (JsonNode m : doc.get("methods")) {
            if (m.get("name").asString().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no method " + name);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("name").asString()));
        return out;
    }

    private static void collectRefs(JsonNode n, List<String> refs) {
        if (n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getKey().equals("$ref") && e.getValue().isString()) {
                    refs.add(e.getValue().asString());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, refs));
        }
    }
}
