package dev.plumb.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an application error that an {@link RpcService} method may answer with, published in the method's
 * OpenRPC {@code errors} by {@code rpc.discover}. Repeatable; on the interface it applies to every method of
 * the service. Only documentation: it changes nothing at run time. The errors JSON-RPC reserves (-32768 to -32000,
 * such as -32602) are not meant to be listed: OpenRPC assumes any method may answer them.
 *
 * <pre>{@code
 * @RpcErrorDoc(code = -32010, message = "List is full")
 * @RpcErrorDoc(code = -32011, message = "No such list")
 * Mono<Item> add(String list, Item item);
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(RpcErrorDoc.List.class)
public @interface RpcErrorDoc {

    /** The error's {@code code}. */
    int code();

    /** The error's {@code message}, a short sentence. */
    String message();

    /** Holds repeated {@link RpcErrorDoc}s (the compiler writes it; no need to use it by hand). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface List {
        /** The errors. */
        RpcErrorDoc[] value();
    }
}
