package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

/** The plain JSON types a record component can have for {@link PlainRecordReader} and {@link PlainRecordWriter}. */
enum PlainKind {
    STRING, INT, LONG, BOOLEAN, DOUBLE,
    /** {@code Object}: whatever JSON value, as Jackson's untyped deserializer reads it. */
    UNTYPED,
    /** {@code Map<String, Object>}. */
    MAP,
    /** {@code List<String>}. */
    STRING_LIST,
    /** {@code List<Object>}. */
    UNTYPED_LIST,
    /** {@link RawJson}: the value's bytes. */
    RAW,
    /** Another record. */
    RECORD,
    /** {@code List<R>} of a record {@code R}. */
    RECORD_LIST;

    /** The kind of a component of declared type {@code t}, or {@code null} when it is not plain. */
    static PlainKind of(Type t) {
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
        } else if (t == RawJson.class) {
            return RAW;
        } else if (t instanceof Class<?> c && c.isRecord()) {
            return RECORD;
        } else if (t instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            if (p.getRawType() == Map.class && args[0] == String.class && args[1] == Object.class) {
                return MAP;
            } else if (p.getRawType() == List.class && args[0] == String.class) {
                return STRING_LIST;
            } else if (p.getRawType() == List.class && args[0] == Object.class) {
                return UNTYPED_LIST;
            } else if (p.getRawType() == List.class && args[0] instanceof Class<?> c && c.isRecord()) {
                return RECORD_LIST;
            }
        }
        return null;
    }
}
