package dev.plumb.rpc.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategy;

/**
 * Binds params to one record type in a single streaming pass: positional params in component order, named params
 * by component name (or its {@code @JsonProperty} name), translated by the mapper's property naming strategy as
 * Jackson would (e.g. {@code skuCode} is read from {@code sku_code} under {@code SNAKE_CASE}). Primitive components
 * are required; others default to {@code null}. Each component's value is read by Jackson, so nested types bind as
 * usual; a {@link RawJson} component is the slice of the input it was read from, not a copy.
 */
final class RecordBinder {

    private final String[] names;
    private final boolean[] primitive;
    private final boolean[] raw;
    /** Per component, a scalar kind read straight off the parser (see {@link #plainKind}), or {@link #VIA_JACKSON}. */
    private final byte[] plain;
    private final ObjectReader[] readers;
    private final Map<String, Integer> index = new HashMap<>();
    private final Constructor<?> constructor;

    RecordBinder(Class<?> type, ObjectMapper mapper) {
        RecordComponent[] components = type.getRecordComponents();
        int n = components.length;
        names = new String[n];
        primitive = new boolean[n];
        raw = new boolean[n];
        plain = new byte[n];
        readers = new ObjectReader[n];
        Class<?>[] types = new Class<?>[n];
        DeserializationConfig config = mapper.deserializationConfig();
        PropertyNamingStrategy naming = config.getPropertyNamingStrategy();
        boolean standardMapper = mapper.registeredModules().isEmpty() && config.findMixInClassFor(type) == null;
        for (int i = 0; i < n; i++) {
            RecordComponent c = components[i];
            names[i] = paramName(c, naming, config);
            primitive[i] = c.getType().isPrimitive();
            raw[i] = c.getType() == RawJson.class;
            readers[i] = mapper.readerFor(mapper.constructType(c.getGenericType()))
                    .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // the next component follows
            types[i] = c.getType();
            plain[i] = standardMapper ? plainKind(type, c, config) : VIA_JACKSON;
            index.put(names[i], i);
        }
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot bind params to " + type.getName()
                    + ": its canonical constructor is not accessible", e);
        }
    }

    private static final byte VIA_JACKSON = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;

    /**
     * Whether a component's value can be read straight off the parser when its token has the component's own JSON
     * type (a string for {@code String}, an integer for {@code int}/{@code long}, {@code true}/{@code false} for
     * {@code boolean}): with no modules, no mix-ins and no Jackson annotation on the component but
     * {@code @JsonProperty}, Jackson's standard deserializers read such a token exactly so, and skipping them saves
     * a deserialization context per component. Any other token still goes through Jackson, coercions included.
     */
    private static byte plainKind(Class<?> record, RecordComponent c, DeserializationConfig config) {
        Class<?> t = c.getType();
        if (config.findMixInClassFor(t) != null || jacksonAnnotated(c.getAccessor().getAnnotations())
                || jacksonAnnotated(c.getAnnotations())) {
            return VIA_JACKSON;
        }
        try {
            if (jacksonAnnotated(record.getDeclaredField(c.getName()).getAnnotations())) {
                return VIA_JACKSON;
            }
        } catch (NoSuchFieldException e) {
            return VIA_JACKSON;
        }
        if (t == String.class) {
            return STRING;
        } else if (t == int.class || t == Integer.class) {
            return INT;
        } else if (t == long.class || t == Long.class) {
            return LONG;
        } else if (t == boolean.class || t == Boolean.class) {
            return BOOLEAN;
        }
        return VIA_JACKSON;
    }

    private static boolean jacksonAnnotated(java.lang.annotation.Annotation[] annotations) {
        return PlainRecordReader.jacksonAnnotated(annotations, true);
    }

    /**
     * The member name a component binds from in named params (the discovery document lists the same): its
     * {@code @JsonProperty} name (read from the accessor, where Jackson's annotation lands on a record component),
     * else its name as the mapper's naming strategy writes it.
     */
    static String paramName(RecordComponent c, ObjectMapper mapper) {
        DeserializationConfig config = mapper.deserializationConfig();
        return paramName(c, config.getPropertyNamingStrategy(), config);
    }

    private static String paramName(RecordComponent c, PropertyNamingStrategy naming, DeserializationConfig config) {
        JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
        if (renamed == null) {
            renamed = c.getAnnotation(JsonProperty.class);
        }
        return renamed != null && !renamed.value().isEmpty() ? renamed.value()
                : implicitName(naming, config, c.getName());
    }

    /** {@code name} as the naming strategy writes it; a strategy that needs the member it names keeps the name. */
    private static String implicitName(PropertyNamingStrategy naming, DeserializationConfig config, String name) {
        if (naming == null) {
            return name;
        }
        try {
            String translated = naming.nameForConstructorParameter(config, null, name);
            return translated == null ? name : translated;
        } catch (RuntimeException needsTheMember) {
            return name;
        }
    }

    Object bind(RawJson raw, ObjectMapper mapper) {
        if (raw == null) {
            return construct(new Object[names.length], new boolean[names.length]);
        }
        try (JsonParser p = mapper.createParser(raw.array(), raw.offset(), raw.length())) {
            return read(p, p.nextToken(), raw.array(), raw.offset());
        }
    }

    /**
     * Reads the params value whose first token {@code t} the parser is on, leaving it on the value's last token.
     * The parser reads {@code source} from {@code base} on (its byte offsets count from there).
     */
    Object read(JsonParser p, JsonToken t, byte[] source, int base) {
        Object[] args = new Object[names.length];
        boolean[] given = new boolean[names.length];
        if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (i >= names.length) {
                    throw invalid("expected at most " + names.length + " parameters");
                }
                read(p, t, i++, args, given, source, base);
            }
        } else if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                Integer i = index.get(p.currentName());
                t = p.nextToken();
                if (i == null) {
                    p.skipChildren();
                } else {
                    read(p, t, i, args, given, source, base);
                }
            }
        } else {
            throw invalid("params must be an array or an object");
        }
        return construct(args, given);
    }

    private Object construct(Object[] args, boolean[] given) {
        for (int i = 0; i < names.length; i++) {
            if (primitive[i] && !given[i]) {
                throw invalid("missing parameter '" + names[i] + "'");
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RpcErrorException re) {
                throw re;
            }
            throw invalid(cause instanceof IllegalArgumentException && cause.getMessage() != null
                    ? cause.getMessage() : "params rejected");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read(JsonParser p, JsonToken t, int i, Object[] args, boolean[] given, byte[] source, int base) {
        if (t == JsonToken.VALUE_NULL) {
            if (primitive[i]) {
                throw invalid("missing parameter '" + names[i] + "'");
            }
            args[i] = null;
            given[i] = true;
            return;
        }
        try {
            args[i] = raw[i] ? slice(p, t, source, base) : readPlain(p, t, plain[i], i);
        } catch (JacksonException e) {
            throw invalid("invalid value for '" + names[i] + "'");
        }
        given[i] = true;
    }

    /** The value of component {@code i}: straight off the parser when its token is the plain kind's, else Jackson's. */
    private Object readPlain(JsonParser p, JsonToken t, byte kind, int i) {
        switch (kind) {
            case STRING -> {
                if (t == JsonToken.VALUE_STRING) {
                    return p.getString();
                }
            }
            case INT -> {
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                    return p.getIntValue();
                }
            }
            case LONG -> {
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    return p.getLongValue();
                }
            }
            case BOOLEAN -> {
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return t == JsonToken.VALUE_TRUE;
                }
            }
            default -> {
                // through Jackson
            }
        }
        return readers[i].readValue(p);
    }

    /** The value whose first token {@code t} the parser is on, as a slice of {@code source}; no tree, no copy. */
    private static RawJson slice(JsonParser p, JsonToken t, byte[] source, int base) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        int end = (int) p.currentLocation().getByteOffset();
        return RawJson.wrap(source, base + start, end - start);
    }

    private static RpcErrorException invalid(String reason) {
        return new RpcErrorException(RpcError.invalidParams(reason));
    }
}
