package dev.plumb.rpc;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

/**
 * The {@code params} of a call, undecoded until a handler asks for them as a type.
 *
 * <p>The router binds params for handlers registered with a parameter type; handlers that take the whole
 * {@link RpcCall} read them here. Binding failures surface as -32602 Invalid params.
 */
public final class RpcParams {

    private final RawJson raw;
    private final RpcCodec codec;

    /** Params {@code raw} (or {@code null} when absent), bound with {@code codec}. */
    public RpcParams(@Nullable RawJson raw, RpcCodec codec) {
        this.raw = raw;
        this.codec = codec;
    }

    /** The raw JSON, or {@code null} when the call had no params. */
    public @Nullable RawJson raw() {
        return raw;
    }

    /** The codec values are bound with. */
    public RpcCodec codec() {
        return codec;
    }

    /** Whether the call had no params member. */
    public boolean isAbsent() {
        return raw == null;
    }

    /** Whether the params are an array (by position). */
    public boolean isPositional() {
        return raw != null && raw.isArray();
    }

    /** Whether the params are an object (by name). */
    public boolean isNamed() {
        return raw != null && raw.isObject();
    }

    /** The params bound to {@code type} the way the router binds them (records by position or by name). */
    public <T> T as(Class<T> type) {
        return dev.plumb.rpc.internal.ParamBinder.bind(this, type);
    }

    /** The params bound to a generic type. */
    public <T> T as(JavaType type) {
        try {
            return codec.bind(raw == null ? RawJson.NULL : raw, type);
        } catch (tools.jackson.core.JacksonException e) {
            throw new RpcErrorException(RpcError.invalidParams(dev.plumb.rpc.internal.ParamBinder.describe(e)));
        }
    }

    /** The params as a Jackson tree ({@code NullNode} when absent). */
    public JsonNode asNode() {
        return codec.tree(raw == null ? RawJson.NULL : raw);
    }

    @Override
    public String toString() {
        return raw == null ? "(none)" : raw.toString();
    }
}
