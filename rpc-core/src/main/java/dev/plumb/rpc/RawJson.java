package dev.plumb.rpc;

import dev.plumb.rpc.internal.RawJsonDeserializer;
import dev.plumb.rpc.internal.RawJsonSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One JSON value kept as the UTF-8 bytes it arrived in, undecoded until someone binds it to a type.
 *
 * <p>The codec hands out {@code params}, {@code result} and {@code error.data} as {@code RawJson} slices of the
 * received frame, so a message that is only routed or forwarded is never turned into objects. Bind it with
 * {@link RpcCodec#bind(RawJson, Class)} or {@link RpcCodec#tree(RawJson)}. Instances are immutable views: the
 * bytes they point at are never changed after decoding.
 */
@JsonSerialize(using = RawJsonSerializer.class)
@JsonDeserialize(using = RawJsonDeserializer.class)
public final class RawJson {

    /** The JSON literal {@code null}. */
    public static final RawJson NULL = of("null");

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final Class<?> boundType;
    private final Object boundValue;

    private RawJson(byte[] bytes, int offset, int length, Class<?> boundType, Object boundValue) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.boundType = boundType;
        this.boundValue = boundValue;
    }

    private RawJson(byte[] bytes, int offset, int length) {
        this(bytes, offset, length, null, null);
    }

    /**
     * Wraps a slice together with the value it was already bound to while being decoded, so that binding it to
     * {@code type} again costs nothing. Used by {@link RpcCodec#decode(byte[], int, int, java.util.function.Function)}.
     */
    public static RawJson wrapBound(byte[] bytes, int offset, int length, Class<?> type, Object value) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + bytes.length);
        }
        return new RawJson(bytes, offset, length, type, value);
    }

    /** The type this value was bound to while decoding, or {@code null}. */
    public @Nullable Class<?> boundType() {
        return boundType;
    }

    /** The value bound while decoding (see {@link #boundType()}), or {@code null}. */
    public @Nullable Object boundValue() {
        return boundValue;
    }

    /** Wraps a slice of {@code bytes} that holds exactly one JSON value; the bytes are not copied. */
    public static RawJson wrap(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + bytes.length);
        }
        return new RawJson(bytes, offset, length);
    }

    /** Wraps JSON text, e.g. {@code RawJson.of("[1,2]")}. The text is not validated here. */
    public static RawJson of(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new RawJson(b, 0, b.length);
    }

    /** The backing array; read only {@link #offset()} to {@code offset()+length()} of it and never write to it. */
    public byte[] array() {
        return bytes;
    }

    /** Where the value starts in {@link #array()}. */
    public int offset() {
        return offset;
    }

    /** How many bytes the value takes. */
    public int length() {
        return length;
    }

    /** The first byte of the value: <code>'{'</code> for an object, {@code '['} for an array, {@code 'n'} for null… */
    public byte firstByte() {
        return bytes[offset];
    }

    /** Whether this is a JSON object. */
    public boolean isObject() {
        return length > 0 && bytes[offset] == '{';
    }

    /** Whether this is a JSON array. */
    public boolean isArray() {
        return length > 0 && bytes[offset] == '[';
    }

    /** Whether this is the literal {@code null}. */
    public boolean isNull() {
        return length == 4 && bytes[offset] == 'n';
    }

    /** A copy of the value's bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** Writes the value's bytes, unchanged, to {@code out}. */
    public void writeTo(OutputStream out) {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** Byte-wise equality of the JSON text (not semantic equality: {@code {"a":1}} differs from {@code { "a":1 }}). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawJson other)) {
            return false;
        }
        return Arrays.equals(bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }
}
