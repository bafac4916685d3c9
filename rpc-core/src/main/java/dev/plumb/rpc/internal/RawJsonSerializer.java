package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/** Writes a {@link RawJson} nested in other values verbatim. */
public final class RawJsonSerializer extends ValueSerializer<RawJson> {
    @Override
    public void serialize(RawJson value, JsonGenerator gen, SerializationContext ctxt) {
        gen.writeRawValue(value.toString());
    }
}
