package dev.plumb.rpc.internal;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcParams;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsonFormatVisitors.JsonAnyFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonArrayFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonBooleanFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatTypes;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitable;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonIntegerFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonMapFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNullFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonNumberFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonStringFormatVisitor;
import tools.jackson.databind.jsonFormatVisitors.JsonValueFormat;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.BeanPropertyWriter;

/**
 * Derives JSON Schemas from Java types through Jackson's own serializers (the {@code JsonFormatVisitor} API that
 * {@code jackson-module-jsonSchema} uses too), so a schema describes what the mapper actually writes: property
 * names after {@code @JsonProperty} and naming strategies, {@code @JsonIgnore}, {@code @JsonValue}, enum names,
 * {@code Optional} unwrapped, {@code java.time} as the mapper formats it.
 *
 * <p>The schemas use only keywords that mean the same in JSON Schema draft-07 (OpenRPC 1.3's dialect) and 2020-12:
 * {@code type}, {@code properties}, {@code required}, {@code items}, {@code additionalProperties},
 * {@code propertyNames}, {@code enum}, {@code format}, {@code uniqueItems}, {@code description}, {@code $ref}.
 * Objects (records, beans) become named definitions referenced as {@code #/components/schemas/Name}, so that a
 * type used in many places is written once and recursive types terminate. Primitive members and members marked
 * {@code @JsonProperty(required = true)} are {@code required}; members Jackson writes as {@code null} (non-primitive,
 * inclusion {@code ALWAYS}, the default) also allow {@code null}. Top-level schemas (params, results) do not.
 *
 * <p>Not thread-safe: one generator builds one document.
 */
public final class SchemaGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaGenerator.class);

    /** Where definitions live in an OpenRPC document. */
    public static final String REF_PREFIX = "#/components/schemas/";

    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Map<String, ObjectNode> definitions = new TreeMap<>();
    private final Map<JavaType, String> names = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    /** A generator writing schemas for what {@code mapper} serializes. */
    public SchemaGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The named object schemas generated so far, by name (sorted). */
    public Map<String, ObjectNode> definitions() {
        return definitions;
    }

    /** The definition a {@code $ref} produced by this generator points at, or {@code null}. */
    public ObjectNode resolve(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null || !ref.isString() || !ref.asString().startsWith(REF_PREFIX)) {
            return null;
        }
        return definitions.get(ref.asString().substring(REF_PREFIX.length()));
    }

    /** The schema of values of {@code type}: inline for scalars and containers, a {@code $ref} for objects. */
    public ObjectNode schemaFor(Type type) {
        return schemaFor(mapper.constructType(type));
    }

    /** The schema of values of {@code type}. */
    public ObjectNode schemaFor(JavaType type) {
        ObjectNode special = special(type);
        if (special != null) {
            return special;
        }
        Wrapper w = new Wrapper(null, false);
        try {
            mapper.acceptJsonFormatVisitor(type, w);
        } catch (RuntimeException e) {
            LOG.debug("no schema for {}: {}", type, e.toString());
            return nodes.objectNode();
        }
        return w.schema;
    }

    /**
     * The object schema of {@code type} written inline (not as a definition), or {@code null} when Jackson does not
     * write the type as an object with properties: for listing the members of a params object one by one.
     */
    public ObjectNode inlineObject(Type type) {
        JavaType t = mapper.constructType(type);
        if (special(t) != null) {
            return null;
        }
        Wrapper w = new Wrapper(null, true);
        try {
            mapper.acceptJsonFormatVisitor(t, w);
        } catch (RuntimeException e) {
            LOG.debug("no schema for {}: {}", type, e.toString());
            return null;
        }
        return w.schema.has("properties") ? w.schema : null;
    }

    /** Types whose serializers describe them poorly or not at all. */
    private ObjectNode special(JavaType t) {
        Class<?> c = t.getRawClass();
        if (c == void.class || c == Void.class) {
            return nodes.objectNode().put("type", "null");
        }
        if (c == byte[].class) {
            return nodes.objectNode().put("type", "string").put("contentEncoding", "base64");
        }
        if (c == java.time.Duration.class || c == java.time.Period.class) {
            // Jackson's java.time serializers announce "date-time" for these; they are ISO-8601 durations
            return writesString(c) ? nodes.objectNode().put("type", "string").put("format", "duration") : null;
        }
        if (c == char[].class) {
            return nodes.objectNode().put("type", "string");
        }
        if (c.isArray() && c.getComponentType().isPrimitive()) {
            return nodes.objectNode().put("type", "array").set("items", schemaFor(c.getComponentType()));
        }
        if (c == RawJson.class || c == RpcParams.class || c == Object.class) {
            return nodes.objectNode();
        }
        if (JsonNode.class.isAssignableFrom(c)) {
            ObjectNode s = nodes.objectNode();
            if (tools.jackson.databind.node.ObjectNode.class.isAssignableFrom(c)) {
                s.put("type", "object");
            } else if (ArrayNode.class.isAssignableFrom(c)) {
                s.put("type", "array");
            }
            return s;
        }
        return null;
    }

    private boolean writesString(Class<?> c) {
        try {
            Object zero = c == java.time.Duration.class ? java.time.Duration.ZERO : java.time.Period.ZERO;
            return mapper.writeValueAsString(zero).startsWith("\"");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String nameFor(JavaType t) {
        String known = names.get(t);
        if (known != null) {
            return known;
        }
        String base = baseName(t);
        String name = base;
        if (taken.contains(name)) {
            Class<?> c = t.getRawClass();
            String qualified = c.getEnclosingClass() != null
                    ? sanitize(c.getEnclosingClass().getSimpleName() + "." + base) : base;
            name = qualified;
            for (int i = 2; taken.contains(name); i++) {
                name = qualified + "_" + i;
            }
        }
        taken.add(name);
        names.put(t, name);
        return name;
    }

    private static String baseName(JavaType t) {
        StringBuilder b = new StringBuilder(t.getRawClass().getSimpleName());
        for (int i = 0; i < t.containedTypeCount(); i++) {
            b.append('_').append(baseName(t.containedType(i)));
        }
        return sanitize(b.toString());
    }

    /** OpenRPC component keys must match {@code ^[a-zA-Z0-9.\-_]+$}. */
    private static String sanitize(String s) {
        String out = s.replaceAll("[^a-zA-Z0-9.\\-_]", "_");
        return out.isEmpty() ? "Object" : out;
    }

    private ObjectNode childSchema(SerializationContext ctx, JsonFormatVisitable handler, JavaType type) {
        if (type != null) {
            ObjectNode special = special(type);
            if (special != null) {
                return special;
            }
        }
        Wrapper w = new Wrapper(ctx, false);
        try {
            if (handler != null) {
                handler.acceptJsonFormatVisitor(w, type);
            } else if (type != null) {
                ctx.findValueSerializer(type).acceptJsonFormatVisitor(w, type);
            }
        } catch (RuntimeException e) {
            LOG.debug("no schema for {}: {}", type, e.toString());
            return nodes.objectNode();
        }
        return w.schema;
    }

    private ObjectNode propertySchema(SerializationContext ctx, BeanProperty prop) {
        JavaType type = prop.getType();
        ObjectNode special = special(type);
        if (special != null) {
            return special;
        }
        ValueSerializer<Object> ser = prop instanceof BeanPropertyWriter w && w.hasSerializer() ? w.getSerializer()
                : null;
        try {
            if (ser == null) {
                ser = ctx.findPrimaryPropertySerializer(type, prop);
            }
        } catch (RuntimeException e) {
            LOG.debug("no serializer for {}.{}: {}", type, prop.getName(), e.toString());
            return nodes.objectNode();
        }
        return childSchema(ctx, ser, type);
    }

    /** Collects one schema from the callbacks of one serializer. */
    private final class Wrapper implements JsonFormatVisitorWrapper {
        private SerializationContext ctx;
        private final boolean inlineObject;
        private ObjectNode schema = nodes.objectNode();

        Wrapper(SerializationContext ctx, boolean inlineObject) {
            this.ctx = ctx;
            this.inlineObject = inlineObject;
        }

        @Override
        public SerializationContext getContext() {
            return ctx;
        }

        @Override
        public void setContext(SerializationContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public JsonObjectFormatVisitor expectObjectFormat(JavaType type) {
            ObjectNode object = nodes.objectNode().put("type", "object");
            JsonClassDescription doc = type.getRawClass().getAnnotation(JsonClassDescription.class);
            if (doc != null && !doc.value().isEmpty()) {
                object.put("description", doc.value());
            }
            if (inlineObject) {
                schema = object;
                return new ObjectVisitor(ctx, object);
            }
            String name = nameFor(type);
            schema = nodes.objectNode().put("$ref", REF_PREFIX + name);
            if (definitions.containsKey(name)) {
                return null; // defined already, or being defined further up (a recursive type)
            }
            definitions.put(name, object);
            return new ObjectVisitor(ctx, object);
        }

        @Override
        public JsonArrayFormatVisitor expectArrayFormat(JavaType type) {
            schema.put("type", "array");
            if (type != null && Set.class.isAssignableFrom(type.getRawClass())) {
                schema.put("uniqueItems", true);
            }
            return new JsonArrayFormatVisitor() {
                @Override
                public void itemsFormat(JsonFormatVisitable handler, JavaType elementType) {
                    schema.set("items", childSchema(ctx, handler, elementType));
                }

                @Override
                public void itemsFormat(JsonFormatTypes format) {
                    schema.set("items", simple(format));
                }

                @Override
                public SerializationContext getContext() {
                    return ctx;
                }
            };
        }

        @Override
        public JsonStringFormatVisitor expectStringFormat(JavaType type) {
            schema.put("type", "string");
            return new JsonStringFormatVisitor() {
                @Override
                public void format(JsonValueFormat format) {
                    schema.put("format", format.toString());
                }

                @Override
                public void enumTypes(Set<String> values) {
                    putEnum(values);
                }
            };
        }

        @Override
        public JsonNumberFormatVisitor expectNumberFormat(JavaType type) {
            schema.put("type", "number");
            return new JsonNumberFormatVisitor() {
                @Override
                public void numberType(JsonParser.NumberType t) {
                    if (t == JsonParser.NumberType.INT || t == JsonParser.NumberType.LONG
                            || t == JsonParser.NumberType.BIG_INTEGER) {
                        schema.put("type", "integer");
                    }
                }

                @Override
                public void format(JsonValueFormat format) {
                    // no draft-07 number formats
                }

                @Override
                public void enumTypes(Set<String> values) {
                    // enums written as numbers: left open
                }
            };
        }

        @Override
        public JsonIntegerFormatVisitor expectIntegerFormat(JavaType type) {
            schema.put("type", "integer");
            return new JsonIntegerFormatVisitor() {
                @Override
                public void numberType(JsonParser.NumberType t) {
                }

                @Override
                public void format(JsonValueFormat format) {
                }

                @Override
                public void enumTypes(Set<String> values) {
                    // enums written as their index: left open
                }
            };
        }

        @Override
        public JsonBooleanFormatVisitor expectBooleanFormat(JavaType type) {
            schema.put("type", "boolean");
            return new JsonBooleanFormatVisitor() {
                @Override
                public void format(JsonValueFormat format) {
                }

                @Override
                public void enumTypes(Set<String> values) {
                }
            };
        }

        @Override
        public JsonNullFormatVisitor expectNullFormat(JavaType type) {
            schema.put("type", "null");
            return new JsonNullFormatVisitor() {
            };
        }

        @Override
        public JsonAnyFormatVisitor expectAnyFormat(JavaType type) {
            return new JsonAnyFormatVisitor() {
            };
        }

        @Override
        public JsonMapFormatVisitor expectMapFormat(JavaType type) {
            schema.put("type", "object");
            return new JsonMapFormatVisitor() {
                @Override
                public void keyFormat(JsonFormatVisitable handler, JavaType keyType) {
                    if (keyType != null && keyType.isEnumType()) {
                        ObjectNode keys = childSchema(ctx, null, keyType);
                        if (keys.has("enum")) {
                            schema.set("propertyNames", nodes.objectNode().set("enum", keys.get("enum")));
                        }
                    }
                }

                @Override
                public void valueFormat(JsonFormatVisitable handler, JavaType valueType) {
                    ObjectNode values = childSchema(ctx, handler, valueType);
                    if (!values.isEmpty()) {
                        schema.set("additionalProperties", values);
                    }
                }

                @Override
                public SerializationContext getContext() {
                    return ctx;
                }
            };
        }

        private void putEnum(Set<String> values) {
            ArrayNode e = schema.putArray("enum");
            values.forEach(e::add);
        }
    }

    /** {@code s} allowing {@code null} too: {@code "type": [t, "null"]} (and null in an enum), else an anyOf. */
    private ObjectNode nullable(ObjectNode s) {
        if (s.isEmpty()) {
            return s; // any value, null included
        }
        JsonNode type = s.get("type");
        if (type != null && type.isString() && !s.has("$ref")) {
            if (type.asString().equals("null")) {
                return s;
            }
            ObjectNode out = s.deepCopy();
            out.putArray("type").add(type.asString()).add("null");
            if (out.has("enum")) {
                ((ArrayNode) out.get("enum")).addNull();
            }
            return out;
        }
        ObjectNode out = nodes.objectNode();
        out.putArray("anyOf").add(s).add(nodes.objectNode().put("type", "null"));
        return out;
    }

    private ObjectNode simple(JsonFormatTypes format) {
        return switch (format) {
            case ANY -> nodes.objectNode();
            default -> nodes.objectNode().put("type", format.value());
        };
    }

    /** Fills one object schema's {@code properties} and {@code required}. */
    private final class ObjectVisitor implements JsonObjectFormatVisitor {
        private final SerializationContext ctx;
        private final ObjectNode object;

        ObjectVisitor(SerializationContext ctx, ObjectNode object) {
            this.ctx = ctx;
            this.object = object;
        }

        @Override
        public SerializationContext getContext() {
            return ctx;
        }

        @Override
        public void property(BeanProperty prop) {
            add(prop);
        }

        @Override
        public void optionalProperty(BeanProperty prop) {
            add(prop);
        }

        @Override
        public void property(String name, JsonFormatVisitable handler, JavaType type) {
            put(name, childSchema(ctx, handler, type), true);
        }

        @Override
        public void optionalProperty(String name, JsonFormatVisitable handler, JavaType type) {
            put(name, childSchema(ctx, handler, type), false);
        }

        private void add(BeanProperty prop) {
            ObjectNode s = propertySchema(ctx, prop);
            if (!prop.getType().isPrimitive() && writesNulls(prop)) {
                s = nullable(s);
            }
            String description = prop.getMetadata() == null ? null : prop.getMetadata().getDescription();
            if (description != null && !description.isEmpty()) {
                s = s.deepCopy().put("description", description);
            }
            boolean required = prop.isRequired() || prop.getType().isPrimitive();
            put(prop.getName(), s, required);
        }

        /** Whether Jackson writes {@code null} for this property (its inclusion is ALWAYS, the default). */
        private boolean writesNulls(BeanProperty prop) {
            try {
                JsonInclude.Value inc = prop.findPropertyInclusion(ctx.getConfig(), prop.getType().getRawClass());
                JsonInclude.Include value = inc == null ? null : inc.getValueInclusion();
                return value == null || value == JsonInclude.Include.ALWAYS || value == JsonInclude.Include.USE_DEFAULTS;
            } catch (RuntimeException e) {
                return true;
            }
        }

        private void put(String name, ObjectNode s, boolean required) {
            ObjectNode props = object.has("properties") ? (ObjectNode) object.get("properties")
                    : object.putObject("properties");
            props.set(name, s);
            if (required) {
                ArrayNode req = object.has("required") ? (ArrayNode) object.get("required") : object.putArray("required");
                req.add(name);
            }
        }
    }

    /** The names listed in an object schema's {@code required}. */
    public static List<String> requiredOf(JsonNode objectSchema) {
        JsonNode req = objectSchema.get("required");
        if (req == null || !req.isArray()) {
            return List.of();
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        req.forEach(n -> out.add(n.asString()));
        return out;
    }
}
