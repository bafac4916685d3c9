package dev.plumb.rpc.internal;

import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationFeature;

/**
 * Writes a record whose components are all plain JSON types — {@code String}, {@code int}/{@code long}/
 * {@code boolean}/{@code double} and their boxes, {@code Object}, {@code Map<String, Object>}, lists of strings,
 * of such values or of such records, and such records — straight into a frame, as Jackson's standard serializers
 * would write it (the same members, in the same order, the same text), without a generator or a serialization
 * context.
 *
 * <p>It applies only where Jackson would write such a record the standard way: the mapper has no modules, no
 * mix-ins and no naming strategy, every serialization, mapper and JSON write feature is at its default, the
 * record and its components carry no Jackson annotation. A value it cannot write plainly (a map with a key that
 * is not a string, a non-finite double, an untyped value of another class) is found before anything is written,
 * and {@link #write} answers {@code false} so the caller hands the record to Jackson.
 */
public final class PlainRecordWriter {

    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte BOOLEAN = 4;
    private static final byte DOUBLE = 5;
    private static final byte UNTYPED = 6;
    private static final byte RECORD = 7;
    private static final byte RECORD_LIST = 8;

    private static final Object NOT_PLAIN = new Object();
    private static final Map<ObjectMapper, Map<Class<?>, Object>> WRITERS =
            Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile ByMapper lastMapper;

    private record ByMapper(ObjectMapper mapper, Map<Class<?>, Object> byType) {
    }

    private final byte[][] names; // each "name": with quotes, comma and colon: ,"name":
    private final byte[] kinds;
    private final MethodHandle[] accessors;
    private final PlainRecordWriter[] nested;
    private Class<?> owner;

    private PlainRecordWriter(int n) {
        names = new byte[n][];
        kinds = new byte[n];
        accessors = new MethodHandle[n];
        nested = new PlainRecordWriter[n];
    }

    /** The writer for {@code type} under {@code mapper}, or {@code null} when it does not apply. */
    static PlainRecordWriter of(ObjectMapper mapper, Class<?> type) {
        ByMapper last = lastMapper;
        Map<Class<?>, Object> byType;
        if (last != null && last.mapper() == mapper) {
            byType = last.byType();
        } else {
            byType = WRITERS.computeIfAbsent(mapper, m -> new ConcurrentHashMap<>());
            lastMapper = new ByMapper(mapper, byType);
        }
        Object w = byType.get(type);
        if (w == null) {
            w = make(mapper, type, 0);
            byType.put(type, w == null ? NOT_PLAIN : w);
        }
        return w instanceof PlainRecordWriter p ? p : null;
    }

    private static PlainRecordWriter make(ObjectMapper mapper, Class<?> type, int depth) {
        if (depth > 8 || !type.isRecord() || !standard(mapper) || jackson(type.getAnnotations())
                || mapper.serializationConfig().findMixInClassFor(type) != null) {
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        PlainRecordWriter w = new PlainRecordWriter(components.length);
        w.owner = type;
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            try {
                if (jackson(c.getAnnotations()) || jackson(c.getAccessor().getAnnotations())
                        || jackson(type.getDeclaredField(c.getName()).getAnnotations())
                        || mapper.serializationConfig().findMixInClassFor(c.getType()) != null) {
                    return null;
                }
                java.lang.reflect.Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                w.accessors[i] = lookup.unreflect(accessor).asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
            Type t = c.getGenericType();
            byte kind = kindOf(t);
            if (kind == RECORD || kind == RECORD_LIST) {
                Class<?> element = kind == RECORD ? (Class<?>) t
                        : (Class<?>) ((ParameterizedType) t).getActualTypeArguments()[0];
                w.nested[i] = make(mapper, element, depth + 1);
                if (w.nested[i] == null) {
                    return null;
                }
            } else if (kind == 0) {
                return null;
            }
            w.kinds[i] = kind;
            w.names[i] = ((i == 0 ? "\"" : ",\"") + c.getName() + "\":").getBytes(StandardCharsets.UTF_8);
            for (char ch : c.getName().toCharArray()) {
                if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
                    return null;
                }
            }
        }
        return w;
    }

    /** Whether the mapper writes values the standard way: every feature that shapes the output at its default. */
    private static boolean standard(ObjectMapper mapper) {
        SerializationConfig config = mapper.serializationConfig();
        if (!mapper.registeredModules().isEmpty() || config.getPropertyNamingStrategy() != null
                || !(mapper.tokenStreamFactory() instanceof JsonFactory factory)
                || factory.getFormatWriteFeatures() != JsonWriteFeature.collectDefaults()) {
            return false;
        }
        com.fasterxml.jackson.annotation.JsonInclude.Value inclusion = config.getDefaultPropertyInclusion();
        if (inclusion != null && (inclusion.getValueInclusion() != com.fasterxml.jackson.annotation.JsonInclude.Include.USE_DEFAULTS
                && inclusion.getValueInclusion() != com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS
                || inclusion.getContentInclusion() != com.fasterxml.jackson.annotation.JsonInclude.Include.USE_DEFAULTS
                && inclusion.getContentInclusion() != com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)) {
            return false;
        }
        for (SerializationFeature f : SerializationFeature.values()) {
            if (config.isEnabled(f) != f.enabledByDefault()) {
                return false;
            }
        }
        for (MapperFeature f : MapperFeature.values()) {
            if (config.isEnabled(f) != f.enabledByDefault()) {
                return false;
            }
        }
        for (StreamWriteFeature f : StreamWriteFeature.values()) {
            if (factory.isEnabled(f) != f.enabledByDefault()) {
                return false;
            }
        }
        return true;
    }

    private static byte kindOf(Type t) {
        if (t == String.class) {
            return STRING;
        } else if (t == int.class || t == Integer.class) {
            return INT;
        } else if (t == long.class || t == Long.class) {
            return LONG;
        } else if (t == boolean.class || t == Boolean.class) {
            return BOOLEAN;
        } else if (t == double.class || t == Double.class) {
            return DOUBLE;
        } else if (t == Object.class) {
            return UNTYPED;
        } else if (t instanceof Class<?> c && c.isRecord()) {
            return RECORD;
        } else if (t instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (p.getRawType() == Map.class && args[0] == String.class && args[1] == Object.class) {
                return UNTYPED;
            } else if (p.getRawType() == List.class && (args[0] == String.class || args[0] == Object.class)) {
                return UNTYPED;
            } else if (p.getRawType() == List.class && args[0] instanceof Class<?> c && c.isRecord()) {
                return RECORD_LIST;
            }
        }
        return 0;
    }

    private static boolean jackson(Annotation[] annotations) {
        return PlainRecordReader.jacksonAnnotated(annotations, false);
    }

    /**
     * Writes {@code record} plainly when its type and values allow and answers {@code true}; otherwise writes
     * nothing and answers {@code false}.
     */
    public static boolean write(ObjectMapper mapper, FrameBuffer out, Object record) {
        PlainRecordWriter w = of(mapper, record.getClass());
        return w != null && w.write(out, record);
    }

    /** Writes {@code record} (of this writer's type) and answers {@code true}, or writes nothing and answers {@code false}. */
    boolean write(FrameBuffer out, Object record) {
        if (!plain(record)) {
            return false;
        }
        writeRecord(out, record);
        return true;
    }

    private Object get(int i, Object record) {
        try {
            return accessors[i].invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean plain(Object record) {
        for (int i = 0; i < kinds.length; i++) {
            byte kind = kinds[i];
            if (kind == DOUBLE || kind == UNTYPED || kind == RECORD || kind == RECORD_LIST) {
                Object v = get(i, record);
                if (v == null) {
                    continue;
                }
                boolean ok = switch (kind) {
                    case DOUBLE -> Double.isFinite((Double) v);
                    case UNTYPED -> plainValue(v, 0);
                    case RECORD -> v.getClass() == nested[i].owner && nested[i].plain(v);
                    default -> plainRecords((List<?>) v, i);
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }


    private boolean plainRecords(List<?> list, int i) {
        for (Object e : list) {
            if (e != null && (e.getClass() != nested[i].owner || !nested[i].plain(e))) {
                return false;
            }
        }
        return true;
    }

    private static boolean plainValue(Object v, int depth) {
        if (v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean
                || v instanceof BigInteger) {
            return true;
        } else if (v instanceof Double d) {
            return Double.isFinite(d);
        } else if (depth > 64) {
            return false;
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String) || !plainValue(e.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        } else if (v instanceof List<?> l) {
            for (Object e : l) {
                if (!plainValue(e, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private void writeRecord(FrameBuffer out, Object record) {
        out.write('{');
        for (int i = 0; i < kinds.length; i++) {
            out.write(names[i]);
            Object v = get(i, record);
            if (v == null) {
                out.appendAscii("null");
                continue;
            }
            switch (kinds[i]) {
                case STRING -> JsonText.appendQuoted(out, (String) v);
                case INT, LONG -> out.appendLong(((Number) v).longValue());
                case BOOLEAN -> out.appendAscii((Boolean) v ? "true" : "false");
                case DOUBLE -> out.appendAscii(Double.toString((Double) v));
                case UNTYPED -> writeValue(out, v);
                case RECORD -> nested[i].writeRecord(out, v);
                default -> {
                    out.write('[');
                    boolean first = true;
                    for (Object e : (List<?>) v) {
                        if (!first) {
                            out.write(',');
                        }
                        first = false;
                        if (e == null) {
                            out.appendAscii("null");
                        } else {
                            nested[i].writeRecord(out, e);
                        }
                    }
                    out.write(']');
                }
            }
        }
        out.write('}');
    }

    private static void writeValue(FrameBuffer out, Object v) {
        if (v == null) {
            out.appendAscii("null");
        } else if (v instanceof String s) {
            JsonText.appendQuoted(out, s);
        } else if (v instanceof Integer || v instanceof Long) {
            out.appendLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            out.appendAscii(b ? "true" : "false");
        } else if (v instanceof Double d) {
            out.appendAscii(Double.toString(d));
        } else if (v instanceof BigInteger b) {
            out.appendAscii(b.toString());
        } else if (v instanceof Map<?, ?> m) {
            out.write('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                JsonText.appendQuoted(out, (String) e.getKey());
                out.write(':');
                writeValue(out, e.getValue());
            }
            out.write('}');
        } else {
            out.write('[');
            boolean first = true;
            for (Object e : (List<?>) v) {
                if (!first) {
                    out.write(',');
                }
                first = false;
                writeValue(out, e);
            }
            out.write(']');
        }
    }
}
