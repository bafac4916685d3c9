package dev.plumb.rpc.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcDoc;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorDoc;
import dev.plumb.rpc.RpcHandler;
import dev.plumb.rpc.RpcParams;
import dev.plumb.rpc.openrpc.OpenRpcExample;
import dev.plumb.rpc.openrpc.OpenRpcInfo;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc;
import dev.plumb.rpc.openrpc.OpenRpcMethodDoc.ParamStructure;
import dev.plumb.rpc.openrpc.OpenRpcParam;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code rpc.discover} handler: answers the OpenRPC 1.3 document of a router's methods, generated on the first
 * call and kept (a router never changes). See {@code docs/openrpc.md} for what is generated and the extensions
 * used: {@code x-notification}, {@code x-stream} and {@code x-variadic}.
 */
public final class OpenRpcDiscovery implements RpcHandler {

    /** The discovery method's name, fixed by the OpenRPC specification. */
    public static final String METHOD = "rpc.discover";

    /** The OpenRPC version the documents follow. */
    public static final String OPENRPC_VERSION = "1.3.2";

    private final OpenRpcInfo info;
    private final List<MethodShape> methods;
    private final Map<String, OpenRpcMethodDoc> docs;
    private final RpcCodec codec;
    private volatile RawJson document;

    /** A handler describing {@code methods} (in that order) with {@code docs} laid over them. */
    public OpenRpcDiscovery(OpenRpcInfo info, List<MethodShape> methods, Map<String, OpenRpcMethodDoc> docs,
                            RpcCodec codec) {
        this.info = info;
        this.methods = List.copyOf(methods);
        this.docs = Map.copyOf(docs);
        this.codec = codec;
    }

    @Override
    public Publisher<?> handle(RpcCall call) {
        return Mono.fromSupplier(this::document);
    }

    /** The document, encoded once. */
    public RawJson document() {
        RawJson d = document;
        if (d == null) {
            synchronized (this) {
                d = document;
                if (d == null) {
                    d = codec.toRaw(generate());
                    document = d;
                }
            }
        }
        return d;
    }

    /** Generates the document. */
    public ObjectNode generate() {
        return new Generation(codec.mapper()).document();
    }

    /** One pass over the methods, with its own schema definitions. */
    private final class Generation {
        private final ObjectMapper mapper;
        private final SchemaGenerator schemas;
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;

        Generation(ObjectMapper mapper) {
            this.mapper = mapper;
            this.schemas = new SchemaGenerator(mapper);
        }

        ObjectNode document() {
            ObjectNode doc = nodes.objectNode();
            doc.put("openrpc", OPENRPC_VERSION);
            ObjectNode i = doc.putObject("info");
            i.put("title", info.title());
            if (info.description() != null) {
                i.put("description", info.description());
            }
            i.put("version", info.version());
            ArrayNode list = doc.putArray("methods");
            for (MethodShape m : methods) {
                list.add(method(m, docs.get(m.name())));
            }
            if (!schemas.definitions().isEmpty()) {
                ObjectNode s = doc.putObject("components").putObject("schemas");
                schemas.definitions().forEach(s::set);
            }
            return doc;
        }

        private ObjectNode method(MethodShape shape, OpenRpcMethodDoc doc) {
            ServiceMethod sm = shape.service();
            Method java = sm == null ? null : sm.method();
            RpcDoc ann = java == null ? null : java.getAnnotation(RpcDoc.class);
            ObjectNode m = nodes.objectNode();
            m.put("name", shape.name());
            putText(m, "summary", doc != null && doc.summary() != null ? doc.summary()
                    : ann == null ? null : ann.summary());
            putText(m, "description", doc != null && doc.description() != null ? doc.description()
                    : ann == null ? null : ann.description());

            Params params = doc != null && doc.params() != null ? described(doc.params()) : generated(shape);
            ParamStructure structure = doc != null && doc.paramStructure() != null ? doc.paramStructure()
                    : params.structure;
            m.put("paramStructure", structure.wireName());
            m.set("params", params.descriptors);

            boolean notification = doc != null && doc.notification() || sm != null
                    && (sm.kind() == ServiceMethod.Kind.NOTIFICATION || sm.kind() == ServiceMethod.Kind.LAZY_NOTIFICATION);
            boolean stream = sm != null && sm.kind() == ServiceMethod.Kind.STREAM;
            if (!notification) {
                ObjectNode result = nodes.objectNode();
                result.put("name", "result");
                if (doc != null && doc.resultType() != null) {
                    putText(result, "description", doc.resultDescription());
                    result.set("schema", schemas.schemaFor(doc.resultType()));
                } else if (sm != null && stream) {
                    result.put("description", "the stream's items, all in one array when called as a request");
                    result.set("schema", nodes.objectNode().put("type", "array")
                            .set("items", schemas.schemaFor(sm.resultType())));
                } else if (sm != null) {
                    result.set("schema", schemas.schemaFor(sm.resultType()));
                } else {
                    result.set("schema", nodes.objectNode());
                }
                m.set("result", result);
            }

            ArrayNode errors = errors(java, doc);
            if (!errors.isEmpty()) {
                m.set("errors", errors);
            }
            if (doc != null && !doc.examples().isEmpty()) {
                ArrayNode examples = m.putArray("examples");
                for (OpenRpcExample e : doc.examples()) {
                    examples.add(example(e, notification));
                }
            }
            if (java != null && java.isAnnotationPresent(Deprecated.class)) {
                m.put("deprecated", true);
            }
            if (notification) {
                m.put("x-notification", true);
            }
            if (stream) {
                m.put("x-stream", true);
            }
            return m;
        }

        private ArrayNode errors(Method java, OpenRpcMethodDoc doc) {
            Set<List<Object>> seen = new LinkedHashSet<>();
            ArrayNode out = nodes.arrayNode();
            List<RpcError> all = new ArrayList<>();
            if (java != null) {
                for (RpcErrorDoc e : java.getDeclaringClass().getAnnotationsByType(RpcErrorDoc.class)) {
                    all.add(new RpcError(e.code(), e.message()));
                }
                for (RpcErrorDoc e : java.getAnnotationsByType(RpcErrorDoc.class)) {
                    all.add(new RpcError(e.code(), e.message()));
                }
            }
            if (doc != null) {
                all.addAll(doc.errors());
            }
            for (RpcError e : all) {
                if (seen.add(List.of(e.code(), e.message()))) {
                    ObjectNode o = out.addObject();
                    o.put("code", e.code());
                    o.put("message", e.message());
                    if (e.data() != null) {
                        o.set("data", tree(e.data()));
                    }
                }
            }
            return out;
        }

        private ObjectNode example(OpenRpcExample e, boolean notification) {
            ObjectNode o = nodes.objectNode();
            o.put("name", e.name());
            putText(o, "description", e.description());
            ArrayNode ps = o.putArray("params");
            for (Map.Entry<String, Object> p : e.params()) {
                ObjectNode v = ps.addObject();
                v.put("name", p.getKey());
                v.set("value", tree(p.getValue()));
            }
            if (e.hasResult() && !notification) {
                o.putObject("result").put("name", "result").set("value", tree(e.result()));
            }
            return o;
        }

        private JsonNode tree(Object value) {
            if (value instanceof JsonNode n) {
                return n;
            }
            return mapper.readTree(codec.toRaw(value).toString());
        }

        private Params described(List<OpenRpcParam> params) {
            ArrayNode out = nodes.arrayNode();
            for (OpenRpcParam p : params) {
                ObjectNode d = descriptor(p.name(), schemas.schemaFor(p.type()), p.required(), null, p.description());
                if (p.variadic()) {
                    d.put("x-variadic", true);
                }
                out.add(d);
            }
            return new Params(out, ParamStructure.EITHER);
        }

        private Params generated(MethodShape shape) {
            return switch (shape.kind()) {
                case RAW, NO_PARAMS -> new Params(nodes.arrayNode(), ParamStructure.EITHER);
                case PARAMS_TYPE -> fromParamsType(shape.paramsType(), null);
                case SERVICE -> fromService(shape.service());
            };
        }

        /** The params of a method whose whole params bind to {@code type} (as {@link ParamBinder} binds them). */
        private Params fromParamsType(Type type, RpcDoc doc) {
            JavaType t = mapper.constructType(type);
            Class<?> c = t.getRawClass();
            if (c.isRecord()) {
                ArrayNode out = nodes.arrayNode();
                for (RecordComponent rc : c.getRecordComponents()) {
                    JsonPropertyDescription pd = rc.getAccessor().getAnnotation(JsonPropertyDescription.class);
                    Type ct = t.getBindings().isEmpty() ? rc.getGenericType()
                            : mapper.getTypeFactory().resolveMemberType(rc.getGenericType(), t.getBindings());
                    out.add(descriptor(RecordBinder.paramName(rc, mapper), schemas.schemaFor(ct), rc.getType().isPrimitive(),
                            null, pd == null ? null : pd.value()));
                }
                return new Params(out, ParamStructure.EITHER);
            }
            if (c.isArray() || Collection.class.isAssignableFrom(c)) {
                JavaType item = t.getContentType();
                ObjectNode d = descriptor("values", item == null ? nodes.objectNode() : schemas.schemaFor(item), false,
                        null, doc == null ? null : emptyToNull(doc.description()));
                d.put("x-variadic", true);
                return new Params(nodes.arrayNode().add(d), ParamStructure.BY_POSITION);
            }
            if (isOpenObject(c)) {
                return new Params(nodes.arrayNode(), ParamStructure.EITHER);
            }
            if (!isScalar(t)) {
                ObjectNode object = schemas.inlineObject(type);
                if (object != null) {
                    List<String> required = SchemaGenerator.requiredOf(object);
                    ArrayNode out = nodes.arrayNode();
                    object.get("properties").properties().forEach(e -> {
                        ObjectNode s = (ObjectNode) e.getValue();
                        String description = s.has("description") ? s.get("description").asString() : null;
                        out.add(descriptor(e.getKey(), s, required.contains(e.getKey()), null, description));
                    });
                    return new Params(out, ParamStructure.BY_NAME);
                }
            }
            ObjectNode d = descriptor("value", schemas.schemaFor(t), c.isPrimitive(), null, null);
            return new Params(nodes.arrayNode().add(d), ParamStructure.BY_POSITION);
        }

        private Params fromService(ServiceMethod sm) {
            Type[] types = sm.paramTypes();
            java.lang.reflect.Parameter[] jps = sm.method().getParameters();
            switch (sm.params()) {
                case NONE:
                    return new Params(nodes.arrayNode(), ParamStructure.EITHER);
                case WHOLE:
                    return fromParamsType(types[0], jps[0].getAnnotation(RpcDoc.class));
                default:
                    ArrayNode out = nodes.arrayNode();
                    boolean named = true;
                    for (int i = 0; i < types.length; i++) {
                        String name = sm.paramNames()[i];
                        if (name == null) {
                            named = false;
                            name = "arg" + i;
                        }
                        RpcDoc pd = jps[i].getAnnotation(RpcDoc.class);
                        boolean required = types[i] instanceof Class<?> k && k.isPrimitive();
                        out.add(descriptor(name, schemas.schemaFor(types[i]), required,
                                pd == null ? null : emptyToNull(pd.summary()),
                                pd == null ? null : emptyToNull(pd.description())));
                    }
                    return new Params(out, named ? ParamStructure.EITHER : ParamStructure.BY_POSITION);
            }
        }

        private ObjectNode descriptor(String name, ObjectNode schema, boolean required, String summary,
                                      String description) {
            ObjectNode d = nodes.objectNode();
            d.put("name", name);
            putText(d, "summary", summary);
            putText(d, "description", description);
            d.set("schema", schema);
            d.put("required", required);
            return d;
        }

        private void putText(ObjectNode o, String field, String text) {
            if (text != null && !text.isEmpty()) {
                o.put(field, text);
            }
        }
    }

    private record Params(ArrayNode descriptors, ParamStructure structure) {
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Types whose params carry any members: nothing to list. */
    private static boolean isOpenObject(Class<?> c) {
        return Map.class.isAssignableFrom(c) || JsonNode.class.isAssignableFrom(c) || c == RawJson.class
                || c == RpcParams.class || c == Object.class;
    }

    /** Types Jackson writes as one JSON scalar (or that are not objects with properties). */
    private static boolean isScalar(JavaType t) {
        Class<?> c = t.getRawClass();
        return c.isPrimitive() || c.isEnum() || c == String.class || Number.class.isAssignableFrom(c)
                || c == Boolean.class || c == Character.class || c == Optional.class || t.isReferenceType()
                || c.getName().startsWith("java.");
    }
}
