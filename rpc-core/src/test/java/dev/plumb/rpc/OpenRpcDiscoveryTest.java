package dev.plumb.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.plumb.rpc.openrpc.OpenRpcExample;
import dev.plumb.rpc.openrpc.OpenRpcInfo;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc;
import dev.plumb.rpc.openrpc.OpenRpcParam;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code rpc.discover}: the OpenRPC document of a router with a typed service and string-registered methods, checked
 * against the OpenRPC 1.3 meta-schema (vendored, see {@code src/test/resources/openrpc/README.md}), for {@code $ref}s
 * that resolve, for JSON Schemas that are valid draft-07 and accept the values the codec really writes, and for what
 * each kind of registration produces.
 */
@Timeout(60)
class OpenRpcDiscoveryTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    enum Priority { LOW, HIGH }

    record Item(String name, int qty, Priority priority, Optional<String> note) {
    }

    record Page<T>(List<T> items, long total) {
    }

    record Query(@JsonPropertyDescription("the start of the names to find") String prefix, int limit) {
    }

    record Node(String label, List<Node> children) {
    }

    record Subtract(int minuend, int subtrahend) {
    }

    /** A bean (not a record): bound by name only. */
    public static final class Settings {
        public String theme;
        public boolean compact;
        public Map<String, Integer> limits;
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String note;
    }

    /** Holds a second record called {@code Item}. */
    static final class Other {
        record Item(long serial) {
        }
    }

    @RpcService(prefix = "shop.")
    @RpcErrorDoc(code = -32050, message = "Shop closed")
    interface Shop {
        @RpcDoc(summary = "Finds items", description = "Items whose names start with the prefix, at most `limit`.")
        @RpcErrorDoc(code = -32010, message = "Bad query")
        Mono<Page<Item>> find(Query query);

        Mono<Map<String, Item>> byName(List<String> names, @RpcDoc(description = "match case") boolean exact);

        @RpcDoc(summary = "Items as they change")
        Flux<Item> watch(Priority min);

        void log(String line);

        @RpcMethod(notification = true)
        Mono<Void> touch(String name);

        Mono<Void> reset();

        Mono<Node> tree();

        Mono<Settings> configure(Settings settings);

        @Deprecated
        Mono<Integer> count();

        Mono<Other.Item> other();
    }

    static final class ShopImpl implements Shop {
        @Override
        public Mono<Page<Item>> find(Query query) {
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < query.limit(); i++) {
                items.add(new Item(query.prefix() + i, i, Priority.values()[i % 2],
                        i % 2 == 0 ? Optional.empty() : Optional.of("odd")));
            }
            return Mono.just(new Page<>(items, items.size()));
        }

        @Override
        public Mono<Map<String, Item>> byName(List<String> names, boolean exact) {
            Map<String, Item> out = new LinkedHashMap<>();
            names.forEach(n -> out.put(n, new Item(n, 1, Priority.LOW, Optional.empty())));
            return Mono.just(out);
        }

        @Override
        public Flux<Item> watch(Priority min) {
            return Flux.just(new Item("a", 1, min, Optional.empty()));
        }

        @Override
        public void log(String line) {
        }

        @Override
        public Mono<Void> touch(String name) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> reset() {
            return Mono.empty();
        }

        @Override
        public Mono<Node> tree() {
            return Mono.just(new Node("root", List.of(new Node("leaf", List.of()))));
        }

        @Override
        public Mono<Settings> configure(Settings settings) {
            return Mono.just(settings);
        }

        @Override
        public Mono<Integer> count() {
            return Mono.just(0);
        }

        @Override
        public Mono<Other.Item> other() {
            return Mono.just(new Other.Item(7));
        }
    }

    private static RpcRouter.Builder methods() {
        return RpcRouter.builder()
                .method("subtract", Subtract.class, p -> Mono.just(p.minuend() - p.subtrahend()))
                .method("ping", () -> Mono.just("pong"))
                .handler("sum", call -> {
                    long s = 0;
                    for (JsonNode n : call.params().asNode()) {
                        s += n.asLong();
                    }
                    return Mono.just(s);
                })
                .handler("raw", call -> Mono.just(call.params().raw()))
                .handler("notify_hello", call -> Mono.empty())
                .method("ticks", Integer.class, n -> Flux.range(0, n))
                .method("many", long[].class, a -> Mono.just(a.length))
                .method("settings", Settings.class, Mono::just)
                .service(new ShopImpl());
    }

    private static RpcRouter router() {
        return methods()
                .discovery(OpenRpcInfo.of("Test shop", "1.2.3").withDescription("A router with one of everything."))
                .describe("sum", OpenRpcMethodDoc.builder()
                        .summary("Adds integers")
                        .params(OpenRpcParam.variadic("addend", long.class).withDescription("one per position"))
                        .result(long.class, "the sum")
                        .paramStructure(OpenRpcMethodDoc.ParamStructure.BY_POSITION)
                        .example(OpenRpcExample.named("1 + 2 + 4")
                                .param("addend", 1).param("addend", 2).param("addend", 4).result(7).build())
                        .build())
                .describe("notify_hello", OpenRpcMethodDoc.builder()
                        .notification()
                        .params(OpenRpcParam.required("n", int.class))
                        .example(OpenRpcExample.named("hello 7").param("n", 7).build())
                        .build())
                .describe("shop.find", OpenRpcMethodDoc.builder()
                        .error(new RpcError(-32011, "Too many", Map.of("max", 100)))
                        .example(OpenRpcExample.named("two items")
                                .param("prefix", "a").param("limit", 2)
                                .result(new ShopImpl().find(new Query("a", 2)).block())
                                .build())
                        .build())
                .describe("subtract", OpenRpcMethodDoc.builder()
                        .description("The JSON-RPC 2.0 specification's example.")
                        .result(int.class)
                        .example(OpenRpcExample.named("42 - 23").param("minuend", 42).param("subtrahend", 23)
                                .result(19).build())
                        .build())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static JsonNode call(RpcRouter router, String method) {
        String req = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"}";
        byte[] reply = router.respond(req.getBytes(StandardCharsets.UTF_8)).block();
        return JSON.readTree(reply);
    }

    private static JsonNode discover(RpcRouter router) {
        JsonNode reply = call(router, "rpc.discover");
        assertThat(reply.has("error")).as(reply.toString()).isFalse();
        return reply.get("result");
    }

    private static JsonNode method(JsonNode doc, String name) {
        for (JsonNode m : doc.get("methods")) {
            if (m.get("name").asString().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no method " + name + " in " + doc);
    }

    private static JsonNode param(JsonNode method, String name) {
        for (JsonNode p : method.get("params")) {
            if (p.get("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no param " + name + " in " + method);
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("name").asString()));
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenRpcDiscoveryTest.class.getResourceAsStream("/openrpc/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The meta-schemas, read as draft-07 (they call draft-07 "https://meta.json-schema.tools/"), offline. */
    private static SchemaRegistry registry() throws IOException {
        String draft07 = "http://json-schema.org/draft-07/schema#";
        ObjectNode tools = (ObjectNode) JSON.readTree(resource("json-schema-tools-meta-schema-1.8.0.json"));
        tools.put("$schema", draft07);
        ObjectNode openrpc = (ObjectNode) JSON.readTree(resource("openrpc-meta-schema-1.14.9.json"));
        openrpc.put("$schema", draft07);
        Map<String, String> byIri = Map.of(
                "https://meta.json-schema.tools", tools.toString(),
                "https://meta.json-schema.tools/", tools.toString(),
                "https://meta.open-rpc.org/", openrpc.toString(),
                "https://meta.open-rpc.org", openrpc.toString());
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7, b -> b.schemas(byIri));
    }

    /** A schema of the document made standalone: its {@code #/components/schemas} refs resolve against a copy. */
    private static Schema standalone(SchemaRegistry registry, JsonNode doc, JsonNode schema) {
        ObjectNode s = schema.isObject() ? ((ObjectNode) schema).deepCopy() : JSON.createObjectNode();
        s.put("$schema", "http://json-schema.org/draft-07/schema#");
        if (doc.has("components")) {
            s.set("components", doc.get("components"));
        }
        return registry.getSchema(s);
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

    /** Every schema in the document: params', results' and the components'. */
    private static List<JsonNode> allSchemas(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : doc.get("methods")) {
            m.get("params").forEach(p -> out.add(p.get("schema")));
            if (m.has("result")) {
                out.add(m.get("result").get("schema"));
            }
        }
        if (doc.has("components")) {
            doc.get("components").get("schemas").forEach(out::add);
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------------- tests

    @Test
    void theDocumentIsValidAgainstTheOpenRpcMetaSchema() throws Exception {
        JsonNode doc = discover(router());
        Schema meta = registry().getSchema(SchemaLocation.of("https://meta.open-rpc.org/"));
        List<Error> errors = meta.validate(doc);
        assertThat(errors).as(doc.toPrettyString()).isEmpty();

        // and the check can fail: a method without params, an error without a message
        ObjectNode broken = (ObjectNode) doc.deepCopy();
        ((ObjectNode) broken.get("methods").get(0)).remove("params");
        assertThat(meta.validate(broken)).isNotEmpty();
        broken = (ObjectNode) doc.deepCopy();
        broken.remove("info");
        assertThat(meta.validate(broken)).isNotEmpty();
    }

    @Test
    void everyMethodIsListedOnceWithTheFieldsOpenRpcRequires() {
        RpcRouter router = router();
        JsonNode doc = discover(router);
        assertThat(doc.get("openrpc").asString()).isEqualTo("1.3.2");
        assertThat(doc.get("info").get("title").asString()).isEqualTo("Test shop");
        assertThat(doc.get("info").get("version").asString()).isEqualTo("1.2.3");
        assertThat(doc.get("info").get("description").asString()).isEqualTo("A router with one of everything.");

        List<String> listed = names(doc.get("methods"));
        assertThat(listed).doesNotHaveDuplicates().doesNotContain("rpc.discover")
                .containsExactly("subtract", "ping", "sum", "raw", "notify_hello", "ticks", "many", "settings",
                        "shop.byName", "shop.configure", "shop.count", "shop.find", "shop.log", "shop.other",
                        "shop.reset", "shop.touch", "shop.tree", "shop.watch"); // registration order, a service's by name
        listed.forEach(name -> assertThat(router.hasMethod(name)).as(name).isTrue());

        for (JsonNode m : doc.get("methods")) {
            String name = m.get("name").asString();
            assertThat(m.get("params").isArray()).as(name).isTrue();
            assertThat(names(m.get("params"))).as(name).doesNotHaveDuplicates();
            for (JsonNode p : m.get("params")) {
                assertThat(p.get("name").asString()).as(name).isNotEmpty();
                assertThat(p.get("schema").isObject()).as(name).isTrue();
                assertThat(p.get("required").isBoolean()).as(name).isTrue();
            }
            assertThat(m.get("paramStructure").asString()).as(name).isIn("by-position", "by-name", "either");
            boolean notification = m.path("x-notification").asBoolean(false);
            assertThat(m.has("result")).as(name).isEqualTo(!notification);
            if (!notification) {
                assertThat(m.get("result").get("name").asString()).isEqualTo("result");
                assertThat(m.get("result").get("schema").isObject()).as(name).isTrue();
            }
        }
    }

    @Test
    void everyRefResolvesAndEverySharedTypeIsDefinedOnce() {
        JsonNode doc = discover(router());
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/schemas/");
            JsonNode target = doc.at(ref.substring(1));
            assertThat(target.isMissingNode()).as(ref).isFalse();
            assertThat(target.get("type").asString()).as(ref).isEqualTo("object");
        }
        Set<String> defined = new HashSet<>();
        doc.get("components").get("schemas").propertyNames().forEach(defined::add);
        assertThat(defined).containsExactlyInAnyOrder("Page_Item", "Item", "Node", "Settings", "Other.Item");
        // no definition is left unused
        Set<String> used = new HashSet<>();
        refs.forEach(r -> used.add(r.substring("#/components/schemas/".length())));
        assertThat(used).isEqualTo(defined);
        // keys as OpenRPC wants them
        defined.forEach(k -> assertThat(k).matches("^[a-zA-Z0-9.\\-_]+$"));
    }

    @Test
    void everySchemaIsValidJsonSchemaAndAcceptsWhatTheCodecWrites() throws Exception {
        RpcRouter router = router();
        JsonNode doc = discover(router);
        SchemaRegistry registry = registry();
        Schema draft07 = registry.getSchema(SchemaLocation.of("https://meta.json-schema.tools/"));
        for (JsonNode s : allSchemas(doc)) {
            assertThat(draft07.validate(s)).as(s.toString()).isEmpty();
        }

        // the results the methods really answer validate against their result schemas
        for (String name : List.of("shop.tree", "shop.count", "ping", "shop.reset", "shop.other")) {
            JsonNode result = call(router, name).get("result");
            Schema schema = standalone(registry, doc, method(doc, name).get("result").get("schema"));
            assertThat(schema.validate(result)).as(name + " " + result).isEmpty();
        }
        JsonNode found = JSON.readTree(router.respond(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shop.find\","
                + "\"params\":{\"prefix\":\"x\",\"limit\":3}}").getBytes(StandardCharsets.UTF_8)).block()).get("result");
        Schema pageSchema = standalone(registry, doc, method(doc, "shop.find").get("result").get("schema"));
        assertThat(pageSchema.validate(found)).as(found.toString()).isEmpty();
        // and the schemas say something: a wrong shape is refused
        assertThat(pageSchema.validate(JSON.readTree("{\"items\":[{\"name\":\"a\",\"qty\":\"many\"}],\"total\":1}")))
                .isNotEmpty();
        assertThat(pageSchema.validate(JSON.readTree("{\"items\":[{\"name\":\"a\",\"priority\":\"MEDIUM\",\"qty\":1}],"
                + "\"total\":1}"))).isNotEmpty();
        assertThat(pageSchema.validate(JSON.readTree("{\"items\":[{\"name\":\"a\"}],\"total\":1}")))
                .as("qty, an int, is required").isNotEmpty();
        JsonNode items = JSON.readTree(router.respond(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shop.watch\","
                + "\"params\":[\"LOW\"]}").getBytes(StandardCharsets.UTF_8)).block()).get("result");
        assertThat(standalone(registry, doc, method(doc, "shop.watch").get("result").get("schema")).validate(items))
                .as(items.toString()).isEmpty();
    }

    @Test
    void examplesMatchTheSchemasOfTheirParamsAndResult() throws Exception {
        JsonNode doc = discover(router());
        SchemaRegistry registry = registry();
        int checked = 0;
        for (JsonNode m : doc.get("methods")) {
            if (!m.has("examples")) {
                continue;
            }
            for (JsonNode e : m.get("examples")) {
                List<JsonNode> params = new ArrayList<>();
                m.get("params").forEach(params::add);
                int i = 0;
                for (JsonNode v : e.get("params")) {
                    JsonNode p = i < params.size() ? params.get(i) : params.get(params.size() - 1);
                    if (!p.path("x-variadic").asBoolean(false)) {
                        assertThat(v.get("name").asString()).isEqualTo(p.get("name").asString());
                        i++;
                    }
                    assertThat(standalone(registry, doc, p.get("schema")).validate(v.get("value")))
                            .as(m.get("name") + " " + v).isEmpty();
                    checked++;
                }
                if (e.has("result")) {
                    assertThat(standalone(registry, doc, m.get("result").get("schema")).validate(e.get("result")
                            .get("value"))).as(m.get("name").asString()).isEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aTypedServiceIsDescribedFromItsJavaTypesAndAnnotations() {
        JsonNode doc = discover(router());

        JsonNode find = method(doc, "shop.find");
        assertThat(find.get("summary").asString()).isEqualTo("Finds items");
        assertThat(find.get("description").asString()).contains("at most `limit`");
        assertThat(find.get("paramStructure").asString()).isEqualTo("either"); // a record: by position or by name
        assertThat(names(find.get("params"))).containsExactly("prefix", "limit");
        assertThat(param(find, "prefix").get("schema")).isEqualTo(JSON.readTree("{\"type\":\"string\"}"));
        assertThat(param(find, "prefix").get("description").asString()).isEqualTo("the start of the names to find");
        assertThat(param(find, "prefix").get("required").asBoolean()).isFalse();
        assertThat(param(find, "limit").get("required").asBoolean()).isTrue();
        assertThat(find.get("result").get("schema").get("$ref").asString()).isEqualTo("#/components/schemas/Page_Item");
        assertThat(find.get("errors")).isEqualTo(JSON.readTree("[{\"code\":-32050,\"message\":\"Shop closed\"},"
                + "{\"code\":-32010,\"message\":\"Bad query\"},"
                + "{\"code\":-32011,\"message\":\"Too many\",\"data\":{\"max\":100}}]"));
        assertThat(find.has("x-stream")).isFalse();

        JsonNode item = doc.get("components").get("schemas").get("Item");
        assertThat(item).isEqualTo(JSON.readTree("""
                {"type":"object","properties":{
                  "name":{"type":["string","null"]},
                  "qty":{"type":"integer"},
                  "priority":{"type":["string","null"],"enum":["LOW","HIGH",null]},
                  "note":{"type":["string","null"]}},
                 "required":["qty"]}"""));
        JsonNode page = doc.get("components").get("schemas").get("Page_Item");
        assertThat(page.get("properties").get("items")).isEqualTo(JSON.readTree(
                "{\"type\":[\"array\",\"null\"],\"items\":{\"$ref\":\"#/components/schemas/Item\"}}"));
        assertThat(page.get("properties").get("total")).isEqualTo(JSON.readTree("{\"type\":\"integer\"}"));

        JsonNode byName = method(doc, "shop.byName");
        assertThat(byName.get("paramStructure").asString()).isEqualTo("either");
        assertThat(byName.get("params")).isEqualTo(JSON.readTree("""
                [{"name":"names","schema":{"type":"array","items":{"type":"string"}},"required":false},
                 {"name":"exact","description":"match case","schema":{"type":"boolean"},"required":true}]"""));
        assertThat(byName.get("result").get("schema")).isEqualTo(JSON.readTree(
                "{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#/components/schemas/Item\"}}"));
        assertThat(byName.get("errors")).isEqualTo(JSON.readTree("[{\"code\":-32050,\"message\":\"Shop closed\"}]"));

        JsonNode watch = method(doc, "shop.watch");
        assertThat(watch.get("x-stream").asBoolean()).isTrue();
        assertThat(watch.get("result").get("schema")).isEqualTo(JSON.readTree(
                "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Item\"}}"));
        assertThat(param(watch, "min").get("schema")).isEqualTo(JSON.readTree(
                "{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]}"));

        for (String n : List.of("shop.log", "shop.touch")) {
            JsonNode m = method(doc, n);
            assertThat(m.has("result")).as(n).isFalse();
            assertThat(m.get("x-notification").asBoolean()).as(n).isTrue();
            assertThat(names(m.get("params"))).as(n).containsExactly(n.equals("shop.log") ? "line" : "name");
        }

        JsonNode reset = method(doc, "shop.reset");
        assertThat(reset.get("params")).isEmpty();
        assertThat(reset.get("result").get("schema")).isEqualTo(JSON.readTree("{\"type\":\"null\"}"));
        assertThat(reset.has("x-notification")).isFalse();

        assertThat(method(doc, "shop.tree").get("result").get("schema").get("$ref").asString())
                .isEqualTo("#/components/schemas/Node");
        assertThat(doc.get("components").get("schemas").get("Node").get("properties").get("children")).isEqualTo(
                JSON.readTree("{\"type\":[\"array\",\"null\"],\"items\":{\"$ref\":\"#/components/schemas/Node\"}}"));

        JsonNode configure = method(doc, "shop.configure");
        assertThat(configure.get("paramStructure").asString()).isEqualTo("by-name"); // a bean binds by name
        assertThat(names(configure.get("params"))).containsExactlyInAnyOrder("theme", "compact", "limits", "note");
        assertThat(param(configure, "compact").get("required").asBoolean()).isTrue();
        assertThat(param(configure, "theme").get("schema")).isEqualTo(JSON.readTree("{\"type\":[\"string\",\"null\"]}"));
        assertThat(param(configure, "note").get("schema")).as("NON_NULL: never written as null")
                .isEqualTo(JSON.readTree("{\"type\":\"string\"}"));
        assertThat(method(doc, "shop.other").get("result").get("schema").get("$ref").asString())
                .isEqualTo("#/components/schemas/Other.Item"); // a second simple name 'Item'
        assertThat(param(configure, "limits").get("schema")).isEqualTo(JSON.readTree(
                "{\"type\":[\"object\",\"null\"],\"additionalProperties\":{\"type\":\"integer\"}}"));

        assertThat(method(doc, "shop.count").get("deprecated").asBoolean()).isTrue();
    }

    @Test
    void stringRegisteredMethodsAreDescribedAsFarAsTheirRegistrationTells() {
        JsonNode doc = discover(router());

        JsonNode subtract = method(doc, "subtract");
        assertThat(subtract.get("description").asString()).isEqualTo("The JSON-RPC 2.0 specification's example.");
        assertThat(subtract.get("paramStructure").asString()).isEqualTo("either");
        assertThat(subtract.get("params")).isEqualTo(JSON.readTree("""
                [{"name":"minuend","schema":{"type":"integer"},"required":true},
                 {"name":"subtrahend","schema":{"type":"integer"},"required":true}]"""));
        assertThat(subtract.get("result").get("schema")).isEqualTo(JSON.readTree("{\"type\":\"integer\"}"));

        JsonNode ping = method(doc, "ping");
        assertThat(ping.get("params")).isEmpty();
        assertThat(ping.get("result").get("schema")).isEqualTo(JSON.readTree("{}")); // the result type is not known

        JsonNode raw = method(doc, "raw");
        assertThat(raw.get("params")).isEmpty();
        assertThat(raw.get("paramStructure").asString()).isEqualTo("either");
        assertThat(raw.get("result").get("schema")).isEqualTo(JSON.readTree("{}"));

        JsonNode sum = method(doc, "sum");
        assertThat(sum.get("summary").asString()).isEqualTo("Adds integers");
        assertThat(sum.get("paramStructure").asString()).isEqualTo("by-position");
        assertThat(sum.get("params")).isEqualTo(JSON.readTree("""
                [{"name":"addend","description":"one per position","schema":{"type":"integer"},"required":false,
                  "x-variadic":true}]"""));
        assertThat(sum.get("result")).isEqualTo(JSON.readTree(
                "{\"name\":\"result\",\"description\":\"the sum\",\"schema\":{\"type\":\"integer\"}}"));
        assertThat(sum.get("examples")).isEqualTo(JSON.readTree("""
                [{"name":"1 + 2 + 4","params":[{"name":"addend","value":1},{"name":"addend","value":2},
                  {"name":"addend","value":4}],"result":{"name":"result","value":7}}]"""));

        JsonNode hello = method(doc, "notify_hello");
        assertThat(hello.has("result")).isFalse();
        assertThat(hello.get("x-notification").asBoolean()).isTrue();
        assertThat(hello.get("examples").get(0).has("result")).isFalse();

        JsonNode ticks = method(doc, "ticks");
        assertThat(ticks.get("paramStructure").asString()).isEqualTo("by-position");
        assertThat(ticks.get("params")).isEqualTo(JSON.readTree(
                "[{\"name\":\"value\",\"schema\":{\"type\":\"integer\"},\"required\":false}]"));

        JsonNode many = method(doc, "many");
        assertThat(many.get("paramStructure").asString()).isEqualTo("by-position");
        assertThat(many.get("params")).isEqualTo(JSON.readTree(
                "[{\"name\":\"values\",\"schema\":{\"type\":\"integer\"},\"required\":false,\"x-variadic\":true}]"));

        JsonNode settings = method(doc, "settings");
        assertThat(settings.get("paramStructure").asString()).isEqualTo("by-name");
        assertThat(names(settings.get("params"))).containsExactlyInAnyOrder("theme", "compact", "limits", "note");
    }

    @Test
    void discoveryIsOffUnlessAskedFor() {
        JsonNode reply = call(methods().build(), "rpc.discover");
        assertThat(reply.get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(methods().build().hasMethod("rpc.discover")).isFalse();
        assertThat(router().hasMethod("rpc.discover")).isTrue();
    }

    @Test
    void describingAMethodThatIsNotRegisteredFailsTheBuild() {
        assertThatThrownBy(() -> methods().discovery(OpenRpcInfo.of("t", "1"))
                .describe("nope", OpenRpcMethodDoc.builder().summary("x").build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> OpenRpcMethodDoc.builder()
                .params(OpenRpcParam.variadic("a", int.class), OpenRpcParam.required("b", int.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last");
        assertThatThrownBy(() -> RpcRouter.builder().handler("rpc.discover", call -> Mono.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDocumentIsAnsweredOverAPeerAndIsTheSameEachTime() {
        InMemoryTransport.Pair pair = InMemoryTransport.pair();
        RpcPeer server = RpcPeer.builder(pair.left()).router(router()).connect();
        RpcPeer client = RpcPeer.builder(pair.right()).connect();
        try {
            JsonNode first = client.call("rpc.discover", null).block(java.time.Duration.ofSeconds(10));
            JsonNode again = client.call("rpc.discover", List.of()).block(java.time.Duration.ofSeconds(10));
            assertThat(first.get("methods").size()).isEqualTo(18);
            assertThat(again).isEqualTo(first);
        } finally {
            client.dispose();
            server.dispose();
        }
    }
}
