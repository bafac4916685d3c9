package dev.plumb.rpc.openrpc;

import java.lang.reflect.Type;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One parameter of a hand-described method ({@link OpenRpcMethodDoc.Builder#params}): an OpenRPC content
 * descriptor whose schema is derived from a Java type. For a generic type pass a {@code Type} such as
 * {@code new tools.jackson.core.type.TypeReference<List<Item>>() {}.getType()}; {@code Object.class} means any
 * value.
 *
 * @param name        the parameter's name (its member name when params go by name)
 * @param type        the Java type its values bind to
 * @param required    whether a caller must give it
 * @param variadic    whether it stands for this and every later position (the {@code x-variadic} extension); only
 *                    the last parameter may be variadic, and it is never required
 * @param description a description, or {@code null} for none
 */
public record OpenRpcParam(String name, Type type, boolean required, boolean variadic, @Nullable String description) {

    /** Checks the name and type. */
    public OpenRpcParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        if (variadic && required) {
            throw new IllegalArgumentException("a variadic parameter cannot be required: " + name);
        }
    }

    /** A parameter the caller must give. */
    public static OpenRpcParam required(String name, Type type) {
        return new OpenRpcParam(name, type, true, false, null);
    }

    /** A parameter the caller may leave out. */
    public static OpenRpcParam optional(String name, Type type) {
        return new OpenRpcParam(name, type, false, false, null);
    }

    /**
     * Any number of values of {@code itemType}, one per position from here on (e.g. the JSON-RPC specification's
     * {@code sum [1, 2, 4]}); published with {@code "x-variadic": true}.
     */
    public static OpenRpcParam variadic(String name, Type itemType) {
        return new OpenRpcParam(name, itemType, false, true, null);
    }

    /** This parameter with {@code description}. */
    public OpenRpcParam withDescription(String description) {
        return new OpenRpcParam(name, type, required, variadic, description);
    }
}
