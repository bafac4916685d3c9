package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcClient;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcProtocolException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

/**
 * The client side of an {@code @RpcService} interface: a {@link Proxy} turning each Java call into the JSON-RPC
 * call, stream or notification the method describes, over any {@link RpcClient}.
 */
public final class ServiceProxy implements InvocationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);

    private final Class<?> api;
    private final RpcClient client;
    private final Map<Method, Bound> methods = new HashMap<>();

    /** A method and the type its result (or each item) binds to. */
    private record Bound(ServiceMethod method, JavaType resultType) {
    }

    private ServiceProxy(Class<?> api, RpcClient client) {
        this.api = api;
        this.client = client;
        RpcCodec codec = client.codec();
        for (ServiceMethod m : ServiceModel.of(api)) {
            methods.put(m.method(), new Bound(m, codec.mapper().constructType(m.resultType())));
        }
    }

    /** A proxy of {@code api} calling over {@code client}. */
    public static <T> T create(Class<T> api, RpcClient client) {
        ServiceProxy handler = new ServiceProxy(api, client);
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "toString" -> api.getSimpleName() + " proxy over " + client;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Bound b = methods.get(method);
        ServiceMethod m = b.method();
        @Nullable Object params = paramsOf(m, args == null ? new Object[0] : args);
        return switch (m.kind()) {
            case REQUEST -> request(m, b.resultType(), params);
            case STREAM -> client.stream(m.wireName(), params, b.resultType());
            case LAZY_NOTIFICATION -> client.notify(m.wireName(), params);
            case NOTIFICATION -> {
                client.notify(m.wireName(), params).subscribe(null,
                        e -> LOG.warn("notification '{}' was not sent: {}", m.wireName(), e.toString()));
                yield null;
            }
        };
    }

    private Mono<Object> request(ServiceMethod m, JavaType type, @Nullable Object params) {
        Mono<RawJson> raw = client.callRaw(m.wireName(), params);
        if (m.resultType() == Void.class) {
            return raw.then(Mono.empty());
        }
        RpcCodec codec = client.codec();
        return raw.handle((value, sink) -> {
            if (value.isNull() && type.getRawClass() != RawJson.class) {
                return;
            }
            try {
                sink.next(type.getRawClass() == RawJson.class ? value : codec.bind(value, type));
            } catch (RuntimeException e) {
                sink.error(new RpcProtocolException("the result of '" + m.wireName() + "' does not bind to "
                        + type.toCanonical() + ": " + e.getMessage(), e));
            }
        });
    }

    private static Object paramsOf(ServiceMethod m, Object[] args) {
        return switch (m.params()) {
            case NONE -> null;
            case WHOLE -> args[0];
            case POSITIONAL -> Arrays.asList(args.clone());
            case NAMED -> {
                Map<String, Object> named = new LinkedHashMap<>();
                for (int i = 0; i < args.length; i++) {
                    named.put(m.paramNames()[i], args[i]);
                }
                yield named;
            }
        };
    }
}
