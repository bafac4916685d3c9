package dev.plumb.rpc;

import dev.plumb.rpc.internal.EnvelopeReader;
import dev.plumb.rpc.internal.EnvelopeScanner;
import dev.plumb.rpc.internal.ErrorMapping;
import dev.plumb.rpc.internal.FrameBuffer;
import dev.plumb.rpc.internal.JsonScanner;
import dev.plumb.rpc.internal.JsonText;
import dev.plumb.rpc.internal.PlainRecordReader;
import dev.plumb.rpc.internal.PlainTreeReader;
import dev.plumb.rpc.internal.PlainRecordWriter;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns frames into {@link RpcPacket}s and messages into compact UTF-8 frames.
 *
 * <p>Decoding validates the whole frame as strict JSON in strict UTF-8 in one pass over its bytes, reads the
 * envelope ({@code jsonrpc}, {@code id}, {@code method}) and keeps {@code params}, {@code result} and
 * {@code error.data} as {@link RawJson} slices of the frame, so nothing is bound until a handler or caller asks
 * for a type. With a mapper whose factory reads JSON leniently (comments, single quotes and the like), decoding
 * uses that factory's parser instead, so what the mapper accepts is accepted. Encoding writes the
 * envelope directly and hands only Java values to Jackson. A codec is immutable and thread-safe; share one.
 *
 * <p><b>Memory.</b> An encoded frame is built once: a large {@link RawJson} or string value is copied straight
 * into the finished array, and large Jackson output is collected in segments and copied once, never doubled. A
 * frame of N bytes therefore costs N (plus, for Jackson output, up to N of segments while it is assembled), on top
 * of the values it was made from. When the heap cannot hold it, {@link #encodeResult} and {@link #encodeBatch}
 * answer a -32603 error instead, {@link #encodeError} leaves out the {@code data}, and encoding requests,
 * notifications and values or binding values throws an {@link RpcException} rather than the
 * {@link OutOfMemoryError}, so that the caller can answer and go on.
 */
public final class RpcCodec {

    /**
     * The default mapper's factory recycles Jackson's buffers per thread rather than through a shared concurrent
     * pool: Reactor's threads are long-lived platform threads, and this saves a CAS and a queue node per parser.
     */
    private static final RpcCodec DEFAULT = new RpcCodec(JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build());

    private static final byte[] RESULT_HEAD = "{\"jsonrpc\":\"2.0\",\"result\":".getBytes();
    private static final byte[] ERROR_HEAD = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":".getBytes();
    private static final byte[] MESSAGE = ",\"message\":".getBytes();
    private static final byte[] DATA = ",\"data\":".getBytes();
    private static final byte[] ID = ",\"id\":".getBytes();
    private static final byte[] REQUEST_HEAD = "{\"jsonrpc\":\"2.0\",\"method\":".getBytes();
    private static final byte[] PARAMS = ",\"params\":".getBytes();
    private static final byte[] NULL = "null".getBytes();

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    /** Whether frames take {@link EnvelopeScanner}, the fast path, rather than Jackson's parser. */
    private final boolean scans;
    /** Whether trees are read by {@link PlainTreeReader} rather than the mapper. */
    private final boolean plainTrees;

    /** A codec that binds values with {@code mapper}. */
    public RpcCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        if (!(mapper.tokenStreamFactory() instanceof JsonFactory jf)) {
            throw new IllegalArgumentException("the mapper must read and write JSON");
        }
        this.factory = jf;
        this.scans = EnvelopeScanner.covers(jf);
        this.plainTrees = scans && PlainTreeReader.covers(mapper);
    }

    /** The shared codec with Jackson's default {@link JsonMapper}. */
    public static RpcCodec defaults() {
        return DEFAULT;
    }

    /** The mapper used to bind and write values. */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ----------------------------------------------------------------------------------------------- decoding

    /** Decodes one frame. Never throws for bad input: unreadable frames come back as {@link RpcInvalid}. */
    public RpcPacket decode(byte[] frame) {
        return decode(frame, 0, frame.length);
    }

    /** Decodes the frame in {@code frame[offset..offset+length)}; the slice must not change afterwards. */
    public RpcPacket decode(byte[] frame, int offset, int length) {
        return decode(frame, offset, length, null);
    }

    /**
     * Decodes a frame and, for requests whose method has a known params type ({@code paramsTypes} gives it, or
     * {@code null}), binds the params in the same pass: the {@link RawJson} then carries the value, and binding it
     * to that type later costs nothing. Records are bound as {@link RpcRouter} binds them, other types by Jackson
     * when the params are an object. Params that do not bind are left raw (the error comes when they are bound).
     */
    public RpcPacket decode(byte[] frame, int offset, int length, java.util.function.Function<String, Class<?>> paramsTypes) {
        return scans ? EnvelopeScanner.read(factory, frame, offset, length, paramsTypes, mapper)
                : EnvelopeReader.read(factory, frame, offset, length, paramsTypes, mapper);
    }

    /** Binds a raw value to {@code type}; throws Jackson's exception if it does not fit. */
    public <T> T bind(RawJson value, Class<T> type) {
        if (type == RawJson.class) {
            return type.cast(value);
        }
        if (value.boundType() == type) {
            return type.cast(value.boundValue());
        }
        if (scans) {
            Object plain = PlainRecordReader.readResult(mapper, type, value.array(), value.offset(), value.length());
            if (plain != PlainRecordReader.NOT_PLAIN) {
                return type.cast(plain);
            }
        }
        try {
            return mapper.readValue(value.array(), value.offset(), value.length(), type);
        } catch (OutOfMemoryError e) {
            throw new RpcErrorException(ErrorMapping.outOfMemory("reading a value", value.length(), e));
        }
    }

    /** Binds a raw value to a generic {@code type}. */
    public <T> T bind(RawJson value, JavaType type) {
        try {
            return mapper.readValue(value.array(), value.offset(), value.length(), type);
        } catch (OutOfMemoryError e) {
            throw new RpcErrorException(ErrorMapping.outOfMemory("reading a value", value.length(), e));
        }
    }

    /** The top-level members of a raw JSON object, each kept raw; empty for anything but an object. */
    public java.util.Map<String, RawJson> members(RawJson object) {
        return scans ? EnvelopeScanner.members(factory.streamReadConstraints(), object)
                : EnvelopeReader.members(factory, object);
    }

    /** The elements of a raw JSON array, each kept raw; empty for anything but an array. */
    public List<RawJson> elements(RawJson array) {
        return scans ? EnvelopeScanner.elements(factory.streamReadConstraints(), array)
                : EnvelopeReader.elements(factory, array);
    }

    /** Reads a raw id value ({@code "abc"}, {@code 7}, {@code null}) as an {@link RpcId}; {@code null} if not an id. */
    public @Nullable RpcId idOf(@Nullable RawJson value) {
        if (value == null || value.length() == 0) {
            return null;
        }
        byte first = value.firstByte();
        if (first == '"') {
            return RpcId.of(bind(value, String.class));
        }
        if (value.isNull()) {
            return RpcId.NULL;
        }
        if (first == '-' || (first >= '0' && first <= '9')) {
            return RpcId.ofNumberText(value.toString());
        }
        return null;
    }

    /** Reads a raw value as a Jackson tree. */
    public JsonNode tree(RawJson value) {
        if (plainTrees) {
            try {
                return PlainTreeReader.read(mapper.deserializationConfig().getNodeFactory(), value.array(),
                        value.offset(), value.length(), factory.streamReadConstraints());
            } catch (RuntimeException e) {
                if (e != JsonScanner.MALFORMED) {
                    throw e;
                }
                // not strict JSON: the mapper gives its own answer (its exception, or what it reads)
            }
        }
        try {
            return mapper.readTree(value.array(), value.offset(), value.length());
        } catch (OutOfMemoryError e) {
            throw new RpcErrorException(ErrorMapping.outOfMemory("reading a value", value.length(), e));
        }
    }

    /** Writes any value Jackson can write as a raw JSON value (identity for {@link RawJson}). */
    public RawJson toRaw(Object value) {
        if (value instanceof RawJson raw) {
            return raw;
        }
        FrameBuffer out = FrameBuffer.acquire();
        OutOfMemoryError failed;
        long written;
        try {
            writeValue(out, value);
            byte[] b = out.toByteArray();
            return RawJson.wrap(b, 0, b.length);
        } catch (OutOfMemoryError e) {
            failed = e;
            written = out.size();
        } finally {
            out.release();
        }
        // only now, with what was written let go of: answering allocates too
        throw new RpcErrorException(ErrorMapping.outOfMemory("writing a value", written, failed));
    }

    // ----------------------------------------------------------------------------------------------- encoding

    /** Encodes a request; {@code params} is any value Jackson can write, a {@link RawJson}, or {@code null}. */
    public byte[] encodeRequest(RpcId id, String method, @Nullable Object params) {
        return encodeRequest(id, method, params, java.util.Map.of());
    }

    /**
     * Encodes a request with {@code metadata} as its {@value RpcMetadata#MEMBER} member (none when it is empty).
     */
    public byte[] encodeRequest(RpcId id, String method, @Nullable Object params, java.util.Map<String, String> metadata) {
        FrameBuffer out = FrameBuffer.acquire();
        OutOfMemoryError failed;
        long written;
        try {
            writeCall(out, method, params);
            writeMetadata(out, metadata);
            out.write(ID);
            id.writeTo(out);
            out.write('}');
            return out.toByteArray();
        } catch (OutOfMemoryError e) {
            failed = e;
            written = out.size();
        } finally {
            out.release();
        }
        throw tooBig(method, written, failed);
    }

    /** Encodes a notification. */
    public byte[] encodeNotification(String method, @Nullable Object params) {
        return encodeNotification(method, params, java.util.Map.of());
    }

    /** Encodes a notification with {@code metadata} as its {@value RpcMetadata#MEMBER} member (none when empty). */
    public byte[] encodeNotification(String method, @Nullable Object params, java.util.Map<String, String> metadata) {
        FrameBuffer out = FrameBuffer.acquire();
        OutOfMemoryError failed;
        long written;
        try {
            writeCall(out, method, params);
            writeMetadata(out, metadata);
            out.write('}');
            return out.toByteArray();
        } catch (OutOfMemoryError e) {
            failed = e;
            written = out.size();
        } finally {
            out.release();
        }
        throw tooBig(method, written, failed);
    }

    /**
     * Encodes a successful response. A result too large for the heap is answered with a -32603 error response
     * instead (and logged), so the caller still has a reply to send.
     */
    public byte[] encodeResult(RpcId id, Object result) {
        FrameBuffer out = FrameBuffer.acquire();
        OutOfMemoryError failed;
        long written;
        try {
            writeResult(out, id, result);
            return out.toByteArray();
        } catch (OutOfMemoryError e) {
            failed = e;
            written = out.size();
        } finally {
            out.release();
        }
        return encodeError(id, ErrorMapping.outOfMemory("encoding a result", written, failed));
    }

    /** Encodes an error response; if its {@code data} is too large for the heap, the error goes without it. */
    public byte[] encodeError(RpcId id, RpcError error) {
        FrameBuffer out = FrameBuffer.acquire();
        OutOfMemoryError failed;
        long written;
        try {
            writeError(out, id, error);
            return out.toByteArray();
        } catch (OutOfMemoryError e) {
            failed = e;
            written = out.size();
        } finally {
            out.release();
        }
        if (error.data() == null) {
            throw failed;
        }
        ErrorMapping.outOfMemory("encoding an error's data", written, failed);
        return encodeError(id, new RpcError(error.code(), error.message(), null));
    }

    /** Encodes any message. */
    public byte[] encode(RpcMessage message) {
        if (message instanceof RpcRequest r) {
            return encodeRequest(r.id(), r.method(), r.params(), r.metadata());
        } else if (message instanceof RpcNotification n) {
            return encodeNotification(n.method(), n.params(), n.metadata());
        }
        RpcResponse r = (RpcResponse) message;
        return r.isError() ? encodeError(r.id(), r.error()) : encodeResult(r.id(), r.result());
    }

    /**
     * Joins encoded messages into one batch frame ({@code [a,b,…]}); if that is too large for the heap, the answer
     * is one -32603 error response with a null id instead.
     */
    public byte[] encodeBatch(List<byte[]> encodedMessages) {
        FrameBuffer out = FrameBuffer.acquire();
        OutOfMemoryError failed;
        long written;
        try {
            out.write('[');
            for (int i = 0; i < encodedMessages.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                byte[] m = encodedMessages.get(i);
                out.appendShared(m, 0, m.length);
            }
            out.write(']');
            return out.toByteArray();
        } catch (OutOfMemoryError e) {
            failed = e;
            written = out.size();
        } finally {
            out.release();
        }
        return encodeError(RpcId.NULL, ErrorMapping.outOfMemory("joining a batch reply", written, failed));
    }

    private static RpcException tooBig(String method, long written, OutOfMemoryError e) {
        return new RpcException("'" + method + "' does not fit in memory to be encoded (" + written
                + " bytes written when it ran out); nothing was sent", e);
    }

    private void writeCall(FrameBuffer out, String method, @Nullable Object params) {
        out.write(REQUEST_HEAD);
        JsonText.appendQuoted(out, method);
        if (params != null) {
            out.write(PARAMS);
            writeValue(out, params);
        }
    }

    private static final byte[] META = (",\"" + RpcMetadata.MEMBER + "\":{").getBytes();

    private static void writeMetadata(FrameBuffer out, java.util.Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return;
        }
        out.write(META);
        boolean first = true;
        for (java.util.Map.Entry<String, String> e : metadata.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            JsonText.appendQuoted(out, e.getKey());
            out.write(':');
            JsonText.appendQuoted(out, e.getValue());
        }
        out.write('}');
    }

    private void writeResult(FrameBuffer out, RpcId id, Object result) {
        out.write(RESULT_HEAD);
        writeValue(out, result);
        out.write(ID);
        id.writeTo(out);
        out.write('}');
    }

    private void writeError(FrameBuffer out, RpcId id, RpcError error) {
        out.write(ERROR_HEAD);
        out.appendLong(error.code());
        out.write(MESSAGE);
        JsonText.appendQuoted(out, error.message() == null ? "" : error.message());
        if (error.data() != null) {
            out.write(DATA);
            writeValue(out, error.data());
        }
        out.write('}');
        out.write(ID);
        id.writeTo(out);
        out.write('}');
    }

    private void writeValue(FrameBuffer out, Object value) {
        if (value == null) {
            out.write(NULL);
        } else if (value instanceof RawJson raw) {
            out.appendShared(raw.array(), raw.offset(), raw.length());
        } else if (value instanceof String s) {
            JsonText.appendQuoted(out, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            out.appendLong(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            out.appendAscii(b ? "true" : "false");
        } else if (value instanceof Record && PlainRecordWriter.write(mapper, out, value)) {
            return; // written the way Jackson writes it, without a generator
        } else {
            try {
                mapper.writeValue(out, value);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                        + e.getOriginalMessage(), e);
            }
        }
    }
}
