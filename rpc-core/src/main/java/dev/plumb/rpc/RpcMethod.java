package dev.plumb.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures one method of an {@link RpcService} interface: its wire name, whether it is a notification, and how
 * its Java parameters map to JSON-RPC params. Without it, a method uses its Java name and the defaults below.
 *
 * <p>The return type says what the method is: {@code Mono<T>} a request with one result, {@code Flux<T>} a stream
 * of items ({@code docs/streaming.md}), {@code void} a notification (a proxy sends it at once), and
 * {@code Mono<Void>} with {@code notification = true} a notification sent when the {@code Mono} is subscribed.
 * Any other return type is refused when the router or proxy is built.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

    /** The method's name on the wire, after the service's prefix; default the Java method's name. */
    String value() default "";

    /** Whether the method is a notification; default {@code false} ({@code void} methods are notifications anyway). */
    boolean notification() default false;

    /** How the Java parameters become JSON-RPC params; default {@link RpcParamStyle#AUTO}. */
    RpcParamStyle params() default RpcParamStyle.AUTO;
}
