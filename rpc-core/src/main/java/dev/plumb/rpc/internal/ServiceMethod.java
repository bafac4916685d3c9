package dev.plumb.rpc.internal;

import dev.plumb.rpc.RpcParamStyle;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * One method of an {@code @RpcService} interface as the wire sees it.
 *
 * @param method     the Java method
 * @param wireName   the JSON-RPC method name, prefix included
 * @param kind       request, stream or notification
 * @param params     how the Java parameters map to params
 * @param paramTypes the Java parameters' generic types
 * @param paramNames the parameters' names (null where unknown)
 * @param resultType the result's (or stream item's) generic type; {@code Void} for notifications
 * @param style      the style the method was declared with
 */
public record ServiceMethod(Method method, String wireName, Kind kind, ParamMode params, Type[] paramTypes,
                            String[] paramNames, Type resultType, RpcParamStyle style) {

    /** What a method is on the wire. */
    public enum Kind {
        /** A call with one result ({@code Mono<T>}). */
        REQUEST,
        /** A call whose result is a stream of items ({@code Flux<T>}). */
        STREAM,
        /** A notification sent at once ({@code void}). */
        NOTIFICATION,
        /** A notification sent when its {@code Mono<Void>} is subscribed. */
        LAZY_NOTIFICATION
    }

    /** How the Java parameters map to params. */
    public enum ParamMode {
        /** No parameters: nothing sent, anything received ignored. */
        NONE,
        /** One parameter that is the whole params value. */
        WHOLE,
        /** By position, as an array. */
        POSITIONAL,
        /** By name, as an object. */
        NAMED
    }

    /** {@code Interface.method(Type, …)}, for messages. */
    public String describe() {
        return describe(method);
    }

    /** {@code Interface.method(Type, …)} of {@code m}, for messages. */
    public static String describe(Method m) {
        StringBuilder b = new StringBuilder(m.getDeclaringClass().getSimpleName()).append('.').append(m.getName())
                .append('(');
        Class<?>[] types = m.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            b.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
        }
        return b.append(')').toString();
    }
}
