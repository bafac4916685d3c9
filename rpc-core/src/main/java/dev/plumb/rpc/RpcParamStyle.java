package dev.plumb.rpc;

/** How the Java parameters of an {@link RpcService} method become JSON-RPC {@code params}. */
public enum RpcParamStyle {

    /**
     * A single parameter of an object type (a record, a bean, a {@code Map}, a Jackson tree) is the params object
     * itself, its members bound by name; any other parameters go by position, as an array. No parameters: no
     * params are sent, and any received are ignored. The default.
     */
    AUTO,

    /** The parameters go by position, as an array, whatever their types. */
    POSITIONAL,

    /**
     * The parameters go by name, as an object whose members are the parameters' names ({@link RpcParam}, or the
     * Java names when compiled with {@code -parameters}). A server accepts positional params for them too.
     */
    NAMED
}
