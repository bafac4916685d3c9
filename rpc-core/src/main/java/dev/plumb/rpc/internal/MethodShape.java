package dev.plumb.rpc.internal;

/**
 * What the router knows about a registered method's signature, for the discovery document: nothing (a plain
 * handler), that it takes no params, the type its params bind to, or a whole service method.
 *
 * @param name       the method's wire name
 * @param kind       how it was registered
 * @param paramsType the params type of {@link Kind#PARAMS_TYPE}, else {@code null}
 * @param service    the service method of {@link Kind#SERVICE}, else {@code null}
 */
public record MethodShape(String name, Kind kind, Class<?> paramsType, ServiceMethod service) {

    /** How a method was registered. */
    public enum Kind {
        /** {@code handler(name, handler)}: params and result unknown. */
        RAW,
        /** {@code method(name, supplier)}: no params, result unknown. */
        NO_PARAMS,
        /** {@code method(name, type, fn)}: params bound to a type, result unknown. */
        PARAMS_TYPE,
        /** A method of a service interface: everything known. */
        SERVICE
    }

    /** A plain handler's shape. */
    public static MethodShape raw(String name) {
        return new MethodShape(name, Kind.RAW, null, null);
    }

    /** A method taking no params. */
    public static MethodShape noParams(String name) {
        return new MethodShape(name, Kind.NO_PARAMS, null, null);
    }

    /** A method whose params bind to {@code type}. */
    public static MethodShape paramsType(String name, Class<?> type) {
        return new MethodShape(name, Kind.PARAMS_TYPE, type, null);
    }

    /** A service method. */
    public static MethodShape service(ServiceMethod method) {
        return new MethodShape(method.wireName(), Kind.SERVICE, null, method);
    }
}
