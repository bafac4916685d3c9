package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcErrorException;
import dev.plumb.rpc.RpcHandler;
import dev.plumb.rpc.RpcParams;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

/**
 * The server side of one {@code @RpcService} method: binds the params to the Java parameters (by position or by
 * name, whatever the client sent) and invokes the implementation.
 */
public final class ServiceHandler implements RpcHandler {

    private final ServiceMethod method;
    private final Object impl;
    private final RpcCodec codec;
    private final JavaType[] types;
    private final Method target;

    /** A handler running {@code method} on {@code impl}, binding with {@code codec}. */
    public ServiceHandler(ServiceMethod method, Object impl, RpcCodec codec) {
        this.method = method;
        this.impl = impl;
        this.codec = codec;
        java.lang.reflect.Type[] ts = method.paramTypes();
        this.types = new JavaType[ts.length];
        for (int i = 0; i < ts.length; i++) {
            types[i] = codec.mapper().constructType(ts[i]);
        }
        this.target = method.method();
        try {
            target.setAccessible(true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(method.describe() + ": cannot be invoked (" + e.getMessage() + ")", e);
        }
    }

    /** The params type a decoder can bind in the envelope pass, or null: the one record of a whole-params method. */
    public Class<?> paramsType() {
        return method.params() == ServiceMethod.ParamMode.WHOLE && method.paramTypes()[0] instanceof Class<?> c
                && c.isRecord() ? c : null;
    }

    @Override
    public Publisher<?> handle(RpcCall call) {
        return invoke(args(call.params()));
    }

    private Object[] args(RpcParams params) {
        return switch (method.params()) {
            case NONE -> new Object[0];
            case WHOLE -> new Object[] {types[0].getRawClass() == RawJson.class ? params.raw()
                    : method.paramTypes()[0] instanceof Class<?> c ? params.as(c) : params.as(types[0])};
            case POSITIONAL, NAMED -> bindEach(params.raw());
        };
    }

    private Object[] bindEach(RawJson raw) {
        Object[] args = new Object[types.length];
        boolean[] given = new boolean[types.length];
        if (raw != null && raw.isArray()) {
            List<RawJson> elements = codec.elements(raw);
            if (elements.size() > types.length) {
                throw invalid("expected at most " + types.length + " parameters, got " + elements.size());
            }
            for (int i = 0; i < elements.size(); i++) {
                args[i] = bind(elements.get(i), i);
                given[i] = true;
            }
        } else if (raw != null && raw.isObject()) {
            Map<String, RawJson> members = codec.members(raw);
            for (int i = 0; i < types.length; i++) {
                String name = method.paramNames()[i];
                if (name == null) {
                    throw invalid("params must be an array");
                }
                RawJson v = members.get(name);
                if (v != null) {
                    args[i] = bind(v, i);
                    given[i] = true;
                }
            }
        } else if (raw != null && !raw.isNull()) {
            throw invalid("params must be an array or an object");
        }
        for (int i = 0; i < types.length; i++) {
            if (!given[i] && types[i].isPrimitive()) {
                throw invalid("missing parameter '" + nameOf(i) + "'");
            }
        }
        return args;
    }

    private Object bind(RawJson value, int i) {
        if (value.isNull()) {
            if (types[i].isPrimitive()) {
                throw invalid("parameter '" + nameOf(i) + "' cannot be null");
            }
            return null;
        }
        if (types[i].getRawClass() == RawJson.class) {
            return value;
        }
        try {
            return codec.bind(value, types[i]);
        } catch (JacksonException e) {
            throw invalid("invalid value for parameter '" + nameOf(i) + "'");
        }
    }

    private String nameOf(int i) {
        String n = method.paramNames()[i];
        return n != null ? n : "#" + i;
    }

    private Publisher<?> invoke(Object[] args) {
        Object out;
        try {
            out = target.invoke(impl, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return switch (method.kind()) {
            case NOTIFICATION -> null;
            default -> (Publisher<?>) out;
        };
    }

    private static RpcErrorException invalid(String reason) {
        return new RpcErrorException(RpcError.invalidParams(reason));
    }
}
