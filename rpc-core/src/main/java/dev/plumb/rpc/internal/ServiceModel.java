package dev.plumb.rpc.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcMethod;
import dev.plumb.rpc.RpcParam;
import dev.plumb.rpc.RpcParamStyle;
import dev.plumb.rpc.RpcService;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Reads an {@code @RpcService} interface into its {@link ServiceMethod}s, refusing what cannot work with a message
 * naming the method. Models are cached per interface.
 */
public final class ServiceModel {

    private static final Map<Class<?>, List<ServiceMethod>> CACHE = new ConcurrentHashMap<>();

    private ServiceModel() {
    }

    /** The methods of {@code api}, an interface; throws {@link IllegalArgumentException} naming a bad method. */
    public static List<ServiceMethod> of(Class<?> api) {
        return CACHE.computeIfAbsent(api, ServiceModel::read);
    }

    /** The {@code @RpcService} interfaces {@code impl}'s class implements, nearest first. */
    public static List<Class<?>> servicesOf(Class<?> implClass) {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> c = implClass; c != null; c = c.getSuperclass()) {
            collect(c.getInterfaces(), found);
        }
        return found;
    }

    private static void collect(Class<?>[] interfaces, List<Class<?>> found) {
        for (Class<?> i : interfaces) {
            if (i.isAnnotationPresent(RpcService.class) && !found.contains(i)) {
                found.add(i);
            }
            collect(i.getInterfaces(), found);
        }
    }

    private static List<ServiceMethod> read(Class<?> api) {
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface; a service is defined by one");
        }
        RpcService service = api.getAnnotation(RpcService.class);
        String prefix = service == null ? "" : service.prefix();
        List<ServiceMethod> methods = new ArrayList<>();
        Map<String, Method> names = new HashMap<>();
        for (Method m : api.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            ServiceMethod sm = read(prefix, m);
            Method clash = names.putIfAbsent(sm.wireName(), m);
            if (clash != null) {
                throw new IllegalArgumentException(ServiceMethod.describe(m) + " and " + ServiceMethod.describe(clash)
                        + " both have the wire name '" + sm.wireName() + "' (overloads need distinct @RpcMethod names)");
            }
            methods.add(sm);
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException(api.getName() + " declares no methods");
        }
        return List.copyOf(methods);
    }

    private static ServiceMethod read(String prefix, Method m) {
        RpcMethod ann = m.getAnnotation(RpcMethod.class);
        String name = prefix + (ann == null || ann.value().isEmpty() ? m.getName() : ann.value());
        if (name.startsWith("rpc.")) {
            throw bad(m, "method names starting with 'rpc.' are reserved");
        }
        boolean notification = ann != null && ann.notification();
        RpcParamStyle style = ann == null ? RpcParamStyle.AUTO : ann.params();
        Type returned = m.getGenericReturnType();
        ServiceMethod.Kind kind;
        Type result;
        if (returned == void.class) {
            kind = ServiceMethod.Kind.NOTIFICATION;
            result = Void.class;
        } else if (m.getReturnType() == Mono.class || m.getReturnType() == Flux.class) {
            result = typeArgument(m, returned);
            if (m.getReturnType() == Flux.class) {
                if (notification) {
                    throw bad(m, "a notification returns void or Mono<Void>, not a Flux");
                }
                kind = ServiceMethod.Kind.STREAM;
            } else if (notification) {
                if (result != Void.class) {
                    throw bad(m, "a notification returns void or Mono<Void>, not Mono<" + typeName(result) + ">");
                }
                kind = ServiceMethod.Kind.LAZY_NOTIFICATION;
            } else {
                kind = ServiceMethod.Kind.REQUEST;
            }
        } else {
            throw bad(m, "returns " + typeName(returned) + "; a service method returns Mono<T> (a request), Flux<T> "
                    + "(a stream), void or Mono<Void> with @RpcMethod(notification = true) (a notification)");
        }
        Parameter[] ps = m.getParameters();
        Type[] types = m.getGenericParameterTypes();
        String[] names = new String[ps.length];
        for (int i = 0; i < ps.length; i++) {
            RpcParam named = ps[i].getAnnotation(RpcParam.class);
            JsonProperty prop = ps[i].getAnnotation(JsonProperty.class);
            if (named != null) {
                names[i] = named.value();
            } else if (prop != null && !prop.value().isEmpty()) {
                names[i] = prop.value();
            } else if (ps[i].isNamePresent()) {
                names[i] = ps[i].getName();
            }
        }
        ServiceMethod.ParamMode mode;
        if (ps.length == 0) {
            mode = ServiceMethod.ParamMode.NONE;
        } else if (style == RpcParamStyle.NAMED) {
            for (int i = 0; i < names.length; i++) {
                if (names[i] == null) {
                    throw bad(m, "parameter " + i + " has no name for named params: annotate it with @RpcParam(\"…\")"
                            + " or compile with -parameters");
                }
            }
            mode = ServiceMethod.ParamMode.NAMED;
        } else if (style == RpcParamStyle.AUTO && ps.length == 1 && isObjectType(types[0])) {
            mode = ServiceMethod.ParamMode.WHOLE;
        } else {
            mode = ServiceMethod.ParamMode.POSITIONAL;
        }
        for (Type t : types) {
            if (containsTypeVariableOrWildcard(t)) {
                throw bad(m, "parameter type " + typeName(t) + " cannot be bound: use a concrete type");
            }
        }
        return new ServiceMethod(m, name, kind, mode, types, names, result, style);
    }

    private static Type typeArgument(Method m, Type returned) {
        if (!(returned instanceof ParameterizedType p)) {
            throw bad(m, "returns a raw " + ((Class<?>) returned).getSimpleName() + "; give its type argument, e.g. "
                    + ((Class<?>) returned).getSimpleName() + "<String>");
        }
        Type arg = p.getActualTypeArguments()[0];
        if (containsTypeVariableOrWildcard(arg)) {
            throw bad(m, "returns " + typeName(returned) + "; its result type must be concrete to bind");
        }
        return arg;
    }

    private static boolean containsTypeVariableOrWildcard(Type t) {
        if (t instanceof WildcardType || t instanceof java.lang.reflect.TypeVariable<?>) {
            return true;
        }
        if (t instanceof ParameterizedType p) {
            for (Type a : p.getActualTypeArguments()) {
                if (containsTypeVariableOrWildcard(a)) {
                    return true;
                }
            }
        }
        if (t instanceof java.lang.reflect.GenericArrayType g) {
            return containsTypeVariableOrWildcard(g.getGenericComponentType());
        }
        return false;
    }

    /** Whether a single parameter of this type is the whole params object (a record, bean, map or tree). */
    private static boolean isObjectType(Type t) {
        Class<?> c = t instanceof Class<?> k ? k : t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : null;
        if (c == null || c.isPrimitive() || c.isArray() || c.isEnum()) {
            return false;
        }
        if (Map.class.isAssignableFrom(c) || JsonNode.class.isAssignableFrom(c) || c == RawJson.class
                || c.isRecord()) {
            return true;
        }
        return !(c.getName().startsWith("java.") || Collection.class.isAssignableFrom(c) || c == Optional.class
                || CharSequence.class.isAssignableFrom(c) || Number.class.isAssignableFrom(c));
    }

    private static String typeName(Type t) {
        return t instanceof Class<?> c ? c.getSimpleName() : t.getTypeName().replaceAll("[a-z0-9_]+\\.", "");
    }

    private static IllegalArgumentException bad(Method m, String why) {
        return new IllegalArgumentException(ServiceMethod.describe(m) + ": " + why);
    }
}
