package dev.plumb.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a parameter of an {@link RpcService} method for named params ({@link RpcParamStyle#NAMED}, or a server
 * receiving an object for positional ones). Needed unless the interface is compiled with {@code -parameters}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface RpcParam {

    /** The member name of this parameter in named params. */
    String value();
}
