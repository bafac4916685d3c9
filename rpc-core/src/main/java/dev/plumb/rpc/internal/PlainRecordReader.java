package dev.plumb.rpc.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import dev.plumb.rpc.RawJson;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;

/**
 * Binds params straight from the frame's bytes to a record whose components are all plain JSON types —
 * {@code String}, {@code int}/{@code long}/{@code boolean}/{@code double} and their boxes, {@code Object},
 * {@code Map<String, Object>}, {@code List<String>}, {@code List<Object>} and {@link RawJson} — giving exactly
 * what {@link RecordBinder} gives with Jackson's standard deserializers, without a parser or a deserialization
 * context.
 *
 * <p>It applies only where Jackson would read such values in the standard way: the mapper has no modules and no
 * mix-ins, the components carry no Jackson annotation but {@code @JsonProperty}, and the features that change how
 * untyped numbers and arrays are read are off. Each value must have its component's own JSON type; anything else
 * (a coercion, a missing primitive, a duplicate key in an untyped map, an error to report) answers
 * {@link #NOT_PLAIN}, and the caller binds with {@link RecordBinder} as before, which gives the same value or the
 * precise error.
 *
 * <p>It also reads a call's <em>result</em> as {@code ObjectMapper.readValue} would ({@link #readResult}), under
 * stricter rules, since Jackson's own record deserializer differs from the params binder: only an object with every
 * component given once, unknown members only where the mapper ignores them, and only for a record whose
 * deserialization nothing configures (no class annotation, no config override, default null handling, no
 * {@code @JsonProperty} attribute but its name) and that has no {@link RawJson} component (Jackson reads one as a tree
 * and writes it again, so a duplicate key inside it goes, where the params binder keeps the slice).
 */
public final class PlainRecordReader {

    /** The answer when the params are not plainly bindable; the caller then binds them with Jackson. */
    public static final Object NOT_PLAIN = new Object();


    private static final Map<ObjectMapper, Map<Class<?>, Object>> READERS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** The readers of the mapper used last (nearly always the only one), found without taking a lock. */
    private static volatile ByMapper lastMapper;

    private record ByMapper(ObjectMapper mapper, Map<Class<?>, Object> byType) {
    }

    private final PlainKind[] kinds;
    private final boolean[] primitive;
    /** Whether {@link #readResult} applies to this type under its mapper. */
    private boolean results;
    private boolean failOnUnknown;
    private final Map<String, Integer> index = new HashMap<>();
    private final byte[][] nameBytes;
    private final Constructor<?> constructor;

    private PlainRecordReader(PlainKind[] kinds, boolean[] primitive, String[] names, Constructor<?> constructor) {
        this.kinds = kinds;
        this.primitive = primitive;
        this.constructor = constructor;
        this.nameBytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            nameBytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
            index.put(names[i], i);
        }
    }

    /** The reader for {@code type} under {@code mapper}, or {@code null} when it does not apply. */
    static PlainRecordReader of(ObjectMapper mapper, Class<?> type) {
        ByMapper last = lastMapper;
        Map<Class<?>, Object> byType;
        if (last != null && last.mapper() == mapper) {
            byType = last.byType();
        } else {
            byType = READERS.computeIfAbsent(mapper, m -> new ConcurrentHashMap<>());
            lastMapper = new ByMapper(mapper, byType);
        }
        Object r = byType.get(type);
        if (r == null) {
            r = byType.computeIfAbsent(type, t -> {
                    PlainRecordReader made = make(mapper, t);
                return made == null ? NOT_PLAIN : made;
            });
        }
        return r instanceof PlainRecordReader p ? p : null;
    }

    private static PlainRecordReader make(ObjectMapper mapper, Class<?> type) {
        DeserializationConfig config = mapper.deserializationConfig();
        if (!type.isRecord() || !mapper.registeredModules().isEmpty() || config.findMixInClassFor(type) != null
                || config.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                || config.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                || config.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)
                || config.isEnabled(DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY)) {
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        PlainKind[] kinds = new PlainKind[components.length];
        boolean[] primitive = new boolean[components.length];
        String[] names = new String[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            kinds[i] = PlainKind.of(c.getGenericType());
            if (kinds[i] == null || kinds[i] == PlainKind.RECORD || kinds[i] == PlainKind.RECORD_LIST || annotated(type, c) || config.findMixInClassFor(c.getType()) != null) {
                return null;
            }
            primitive[i] = c.getType().isPrimitive();
            names[i] = RecordBinder.paramName(c, mapper);
            types[i] = c.getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            PlainRecordReader reader = new PlainRecordReader(kinds, primitive, names, constructor);
            reader.results = readsResultsAsJackson(config, type, components);
            reader.failOnUnknown = config.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            return reader;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether Jackson reads {@code type} as a result exactly as {@link #readResult} does (see the class comment). */
    private static boolean readsResultsAsJackson(DeserializationConfig config, Class<?> type,
            RecordComponent[] components) {
        if (jacksonAnnotated(type.getAnnotations(), false) || config.findConfigOverride(type) != null
                || !JsonSetter.Value.empty().equals(config.getDefaultNullHandling())
                || config.isEnabled(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                || config.isEnabled(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                || config.isEnabled(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)) {
            return false;
        }
        for (RecordComponent c : components) {
            if (c.getType() == RawJson.class) {
                return false; // Jackson's RawJson deserializer reads a tree and writes it again (duplicate keys go)
            }
            try {
                if (config.findConfigOverride(c.getType()) != null || !onlyNamed(c.getAnnotation(JsonProperty.class))
                        || !onlyNamed(c.getAccessor().getAnnotation(JsonProperty.class))
                        || !onlyNamed(type.getDeclaredField(c.getName()).getAnnotation(JsonProperty.class))) {
                    return false;
                }
            } catch (NoSuchFieldException e) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code p} is absent or sets nothing but the name. */
    private static boolean onlyNamed(JsonProperty p) {
        if (p == null) {
            return true;
        }
        for (java.lang.reflect.Method m : JsonProperty.class.getDeclaredMethods()) {
            if (m.getName().equals("value")) {
                continue;
            }
            try {
                if (!java.util.Objects.deepEquals(m.invoke(p), m.getDefaultValue())) {
                    return false;
                }
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean annotated(Class<?> record, RecordComponent c) {
        try {
            return jackson(c.getAnnotations()) || jackson(c.getAccessor().getAnnotations())
                    || jackson(record.getDeclaredField(c.getName()).getAnnotations());
        } catch (NoSuchFieldException e) {
            return true;
        }
    }

    /** Whether any of {@code annotations} is Jackson's, {@code @JsonProperty} aside when {@code butJsonProperty}. */
    static boolean jacksonAnnotated(Annotation[] annotations, boolean butJsonProperty) {
        for (Annotation a : annotations) {
            String name = a.annotationType().getName();
            if ((name.startsWith("com.fasterxml.jackson.") || name.startsWith("tools.jackson."))
                    && !(butJsonProperty && a.annotationType() == JsonProperty.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean jackson(Annotation[] annotations) {
        return jacksonAnnotated(annotations, true);
    }

    /**
     * Binds the params in {@code b[offset..offset+length)} (already validated as strict JSON), or answers
     * {@link #NOT_PLAIN}.
     */
    Object read(byte[] b, int offset, int length, StreamReadConstraints constraints) {
        return readAt(new JsonScanner(b, offset, length, constraints), b, false);
    }

    /**
     * Reads a result {@code b[offset..offset+length)} of record {@code type} exactly as {@code mapper.readValue}
     * would, or answers {@link #NOT_PLAIN} (the caller then asks Jackson, which gives the same value or the error).
     * The bytes need not have been validated: anything but strict JSON is {@link #NOT_PLAIN} too.
     */
    public static Object readResult(ObjectMapper mapper, Class<?> type, byte[] b, int offset, int length) {
        PlainRecordReader reader = of(mapper, type);
        if (reader == null || !reader.results) {
            return NOT_PLAIN;
        }
        StreamReadConstraints constraints = mapper.tokenStreamFactory().streamReadConstraints();
        JsonScanner s = new JsonScanner(b, offset, length, constraints);
        if (!s.shallowEnoughToRecurse()) {
            return NOT_PLAIN;
        }
        try {
            Object value = reader.readAt(s, b, true);
            return s.atEnd() ? value : NOT_PLAIN;
        } catch (RuntimeException e) {
            if (JsonScanner.isMalformed(e)) {
                return NOT_PLAIN;
            }
            throw e;
        }
    }

    /**
     * Binds the params (an array or object) at the scanner's position and moves past them, validating them as
     * strict JSON as it goes (so they need not have been validated before: malformed input throws
     * {@link JsonScanner#MALFORMED}), or answers {@link #NOT_PLAIN} with the scanner left anywhere inside them.
     * Recurses once per level of untyped nesting: only for a scanner {@link JsonScanner#shallowEnoughToRecurse}.
     */
    Object readAt(JsonScanner s, byte[] b) {
        return readAt(s, b, false);
    }

    private Object readAt(JsonScanner s, byte[] b, boolean asResult) {
        Object[] args = new Object[kinds.length];
        boolean[] given = new boolean[kinds.length];
        int c = s.skipWhitespace();
        if (c == '[') {
            if (asResult) {
                return NOT_PLAIN; // Jackson reads a record from an array only when configured to
            }
            if (s.enterNonEmpty(']')) {
                int i = 0;
                do {
                    if (i >= kinds.length) {
                        return NOT_PLAIN;
                    }
                    s.skipWhitespace();
                    if (!component(s, b, i++, args, given)) {
                        return NOT_PLAIN;
                    }
                } while (s.nextMember(']'));
            }
        } else if (c == '{') {
            if (s.enterNonEmpty('}')) {
                int likely = 0;
                do {
                    s.skipWhitespace();
                    int nameAt = s.pos();
                    int after = s.skipMemberName();
                    int i = s.lastEscaped() ? index.getOrDefault(s.decodeString(nameAt, after), -1)
                            : componentAt(b, nameAt + 1, after - 1, likely);
                    likely = i + 1;
                    s.expect(':');
                    s.skipWhitespace();
                    if (i < 0) {
                        if (asResult && failOnUnknown) {
                            return NOT_PLAIN; // Jackson reports it
                        }
                        s.skipValue();
                    } else if (asResult && given[i]) {
                        return NOT_PLAIN; // a member given twice: Jackson's own rules
                    } else if (!component(s, b, i, args, given)) {
                        return NOT_PLAIN;
                    }
                } while (s.nextMember('}'));
            }
        } else {
            return NOT_PLAIN;
        }
        for (int i = 0; i < kinds.length; i++) {
            if (!given[i] && (primitive[i] || asResult)) {
                return NOT_PLAIN; // a missing primitive (either), or any missing component of a result
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NOT_PLAIN; // the constructor refused: RecordBinder reports it as it does
        }
    }

    /**
     * The component named by the bytes {@code b[from..to)}, or -1; tries {@code likely} first (members usually come
     * in the record's order).
     */
    private int componentAt(byte[] b, int from, int to, int likely) {
        int len = to - from;
        if (likely < nameBytes.length && nameBytes[likely].length == len && JsonScanner.sameBytes(b, from,
                nameBytes[likely])) {
            return likely;
        }
        for (int i = 0; i < nameBytes.length; i++) {
            byte[] n = nameBytes[i];
            if (n.length == len && JsonScanner.sameBytes(b, from, n)) {
                return i;
            }
        }
        return -1;
    }


    /** Reads component {@code i}'s value at the scanner's position; {@code false} when it is not plain. */
    private boolean component(JsonScanner s, byte[] b, int i, Object[] args, boolean[] given) {
        int c = s.peek();
        if (c == 'n') {
            if (primitive[i]) {
                return false;
            }
            s.skipValue();
            args[i] = null;
            given[i] = true;
            return true;
        }
        Object v = value(s, b, kinds[i], c);
        if (v == NOT_PLAIN) {
            return false;
        }
        args[i] = v;
        given[i] = true;
        return true;
    }

    private static Object value(JsonScanner s, byte[] b, PlainKind kind, int c) {
        int start = s.pos();
        switch (kind) {
            case STRING -> {
                return c == '"' ? s.decodeString(start, s.skipString()) : NOT_PLAIN;
            }
            case INT, LONG -> {
                if (c != '-' && (c < '0' || c > '9')) {
                    return NOT_PLAIN;
                }
                s.skipNumber();
                if (!s.lastInteger() || s.lastIntegerDigits() > 18) {
                    return NOT_PLAIN;
                }
                long v = JsonScanner.parseLong(b, start, s.pos());
                if (kind == PlainKind.INT) {
                    return v == (int) v ? (Object) (int) v : NOT_PLAIN;
                }
                return v;
            }
            case BOOLEAN -> {
                if (c != 't' && c != 'f') {
                    return NOT_PLAIN;
                }
                s.skipValue();
                return c == 't';
            }
            case DOUBLE -> {
                if (c != '-' && (c < '0' || c > '9')) {
                    return NOT_PLAIN;
                }
                s.skipNumber();
                return s.lastInteger() ? NOT_PLAIN
                        : Double.parseDouble(new String(b, start, s.pos() - start, StandardCharsets.ISO_8859_1));
            }
            case RAW -> {
                s.skipValue();
                return RawJson.wrap(b, start, s.pos() - start);
            }
            case MAP -> {
                return c == '{' ? untyped(s, b) : NOT_PLAIN;
            }
            case STRING_LIST -> {
                return c == '[' ? stringList(s) : NOT_PLAIN;
            }
            case UNTYPED_LIST -> {
                return c == '[' ? untyped(s, b) : NOT_PLAIN;
            }
            default -> {
                return untyped(s, b);
            }
        }
    }

    private static Object stringList(JsonScanner s) {
        List<String> out = new ArrayList<>();
        if (!s.enterNonEmpty(']')) {
            return out;
        }
        do {
            int c = s.skipWhitespace();
            int start = s.pos();
            if (c == '"') {
                out.add(s.decodeString(start, s.skipString()));
            } else if (c == 'n') {
                s.skipValue();
                out.add(null);
            } else {
                return NOT_PLAIN;
            }
        } while (s.nextMember(']'));
        return out;
    }

    /** A value as Jackson's untyped deserializer reads it: maps, lists, strings, numbers, booleans, null. */
    private static Object untyped(JsonScanner s, byte[] b) {
        int c = s.skipWhitespace();
        int start = s.pos();
        switch (c) {
            case '"' -> {
                return s.decodeString(start, s.skipString());
            }
            case 't', 'f', 'n' -> {
                s.skipValue();
                return c == 'n' ? null : c == 't';
            }
            case '{' -> {
                Map<String, Object> out = new LinkedHashMap<>();
                if (!s.enterNonEmpty('}')) {
                    return out;
                }
                do {
                    s.skipWhitespace();
                    int nameAt = s.pos();
                    String name = s.decodeName(nameAt, s.skipMemberName());
                    s.expect(':');
                    Object v = untyped(s, b);
                    if (v == NOT_PLAIN || out.containsKey(name)) {
                        return NOT_PLAIN; // a duplicate key: Jackson has its own rules for those
                    }
                    out.put(name, v);
                } while (s.nextMember('}'));
                return out;
            }
            case '[' -> {
                List<Object> out = new ArrayList<>();
                if (!s.enterNonEmpty(']')) {
                    return out;
                }
                do {
                    Object v = untyped(s, b);
                    if (v == NOT_PLAIN) {
                        return NOT_PLAIN;
                    }
                    out.add(v);
                } while (s.nextMember(']'));
                return out;
            }
            default -> {
                s.skipNumber();
                String text = null;
                if (s.lastInteger()) {
                    if (s.lastIntegerDigits() <= 18) {
                        long v = JsonScanner.parseLong(b, start, s.pos());
                        return v == (int) v ? (Object) (int) v : (Object) v;
                    }
                    text = new String(b, start, s.pos() - start, StandardCharsets.ISO_8859_1);
                    BigInteger big = new BigInteger(text);
                    return big.bitLength() < 64 ? (Object) big.longValue() : big;
                }
                text = new String(b, start, s.pos() - start, StandardCharsets.ISO_8859_1);
                return Double.parseDouble(text);
            }
        }
    }

}
