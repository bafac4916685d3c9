package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcParams;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * Binds params to Java types the way the router promises: a record takes positional params in component order
 * and named params by component name (primitive components are required, others optional); any other type is
 * bound by Jackson from the whole params, or from the single element of a one-element array.
 */
public final class ParamBinder {

    private static final Map<ObjectMapper, Map<Class<?>, RecordBinder>> BINDERS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    private static volatile Binders lastBinders;

    private record Binders(ObjectMapper mapper, Map<Class<?>, RecordBinder> byType) {
    }

    private ParamBinder() {
    }

    /** Binds {@code params} to {@code type}; throws {@link RpcErrorException} with -32602 when they do not fit. */
    public static <T> T bind(RpcParams params, Class<T> type) {
        if (type == RpcParams.class) {
            return type.cast(params);
        }
        if (type == RawJson.class) {
            return type.cast(params.raw());
        }
        if (params.raw() != null && params.raw().boundType() == type) {
            return type.cast(params.raw().boundValue()); // bound while the frame was decoded
        }
        try {
            if (type.isRecord()) {
                return bindRecord(params, type);
            }
            RawJson raw = params.raw();
            if (raw == null) {
                return params.codec().bind(RawJson.NULL, type);
            }
            if (raw.isArray() && !acceptsArray(type)) {
                JsonNode arr = params.codec().tree(raw);
                if (arr.size() != 1) {
                    throw invalid("expected 1 parameter, got " + arr.size());
                }
                return params.codec().mapper().treeToValue(arr.get(0), type);
            }
            return params.codec().bind(raw, type);
        } catch (JacksonException e) {
            throw new RpcErrorException(RpcError.invalidParams(describe(e)));
        } catch (OutOfMemoryError e) {
            throw new RpcErrorException(ErrorMapping.outOfMemory("binding the params to " + type.getSimpleName(),
                    params.raw() == null ? 0 : params.raw().length(), e));
        }
    }

    private static boolean acceptsArray(Class<?> type) {
        return type.isArray() || Collection.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type)
                || type == Object.class;
    }

    private static <T> T bindRecord(RpcParams params, Class<T> type) {
        ObjectMapper mapper = params.codec().mapper();
        return type.cast(recordBinder(mapper, type).bind(params.raw(), mapper));
    }

    /**
     * Reads a record of {@code type} from params the parser is on (first token {@code t}), as the router binds; the
     * parser reads {@code source} from {@code base} on ({@link RawJson} components become slices of it).
     */
    public static Object readRecord(ObjectMapper mapper, Class<?> type, JsonParser p, JsonToken t, byte[] source,
                                    int base) {
        return recordBinder(mapper, type).read(p, t, source, base);
    }

    private static RecordBinder recordBinder(ObjectMapper mapper, Class<?> type) {
        Binders last = lastBinders;
        Map<Class<?>, RecordBinder> byType;
        if (last != null && last.mapper() == mapper) {
            byType = last.byType();
        } else {
            byType = BINDERS.computeIfAbsent(mapper, m -> new ConcurrentHashMap<>());
            lastBinders = new Binders(mapper, byType);
        }
        return byType.computeIfAbsent(type, t -> new RecordBinder(t, mapper));
    }

    private static RpcErrorException invalid(String reason) {
        return new RpcErrorException(RpcError.invalidParams(reason));
    }

    /** A short reason for a binding failure that names the parameter but no Java class. */
    public static String describe(JacksonException e) {
        if (e instanceof DatabindException de && !de.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference r : de.getPath()) {
                if (r.getPropertyName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(r.getPropertyName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            if (path.length() > 0) {
                return "invalid value for '" + path + "'";
            }
        }
        return "params do not match the method's parameters";
    }
}
