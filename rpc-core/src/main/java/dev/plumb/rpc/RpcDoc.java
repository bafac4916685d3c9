package dev.plumb.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Hand-written documentation of an {@link RpcService} method or of one of its parameters, published by
 * {@code rpc.discover} when the router has discovery on ({@link RpcRouter.Builder#discovery}). On a method it gives
 * the OpenRPC method's {@code summary} and {@code description}; on a parameter, its content descriptor's.
 * Both default to none. For record members, Jackson's {@code @JsonPropertyDescription} is read instead.
 *
 * <pre>{@code
 * @RpcDoc(summary = "Adds an item", description = "Fails with -32010 when the list is full.")
 * Mono<Item> add(@RpcDoc(description = "the list's id") String list, Item item);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER})
public @interface RpcDoc {

    /** A short summary of what the method does; default none. */
    String summary() default "";

    /** A longer description (CommonMark is allowed by OpenRPC); default none. */
    String description() default "";
}
