package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/** Reads any JSON value nested in other values into a {@link RawJson}. */
public final class RawJsonDeserializer extends ValueDeserializer<RawJson> {
    @Override
    public RawJson deserialize(JsonParser p, DeserializationContext ctxt) {
        return RawJson.of(ctxt.readTree(p).toString());
    }

    @Override
    public RawJson getNullValue(DeserializationContext ctxt) {
        return RawJson.NULL;
    }
}
