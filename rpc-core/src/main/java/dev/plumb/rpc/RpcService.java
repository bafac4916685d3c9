package dev.plumb.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java interface as a JSON-RPC service: one definition that a server implements
 * ({@link RpcRouter.Builder#service(Object)}) and a client calls through a proxy ({@link RpcClient#proxy(Class)}).
 * Every abstract method is a JSON-RPC method, named by {@link RpcMethod} or, without it, by the Java name.
 *
 * <pre>{@code
 * @RpcService(prefix = "textDocument/")
 * interface TextDocuments {
 *     Mono<Hover> hover(HoverParams params);              // request "textDocument/hover", params = the record
 *     void didOpen(DidOpenParams params);                 // notification (void)
 *     Flux<Diagnostic> diagnostics(String uri);           // stream, positional params ["file:///a"]
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RpcService {

    /** Put before every method's name, e.g. {@code "textDocument/"} or {@code "eth_"}; default none. */
    String prefix() default "";
}
