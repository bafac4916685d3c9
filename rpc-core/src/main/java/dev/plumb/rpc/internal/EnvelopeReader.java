package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcBatch;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcInvalid;
import dev.plumb.rpc.RpcPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

/**
 * Reads one frame with Jackson's streaming parser into a {@link RpcPacket}, keeping values as {@link RawJson}
 * slices. The rules it applies are the ones written down in {@code docs/conformance.md}.
 */
public final class EnvelopeReader {


    private static final RpcInvalid PARSE_ERROR = EnvelopeRules.PARSE_ERROR;
    private static final RpcInvalid INVALID = EnvelopeRules.INVALID;

    private final JsonFactory factory;
    private final JsonParser p;
    private final byte[] buf;
    private final int base;
    private final Function<String, Class<?>> paramsTypes;
    private final ObjectMapper mapper;

    private EnvelopeReader(JsonFactory factory, JsonParser p, byte[] buf, int base) {
        this(factory, p, buf, base, null, null);
    }

    private EnvelopeReader(JsonFactory factory, JsonParser p, byte[] buf, int base,
            Function<String, Class<?>> paramsTypes, ObjectMapper mapper) {
        this.paramsTypes = paramsTypes;
        this.mapper = mapper;
        this.factory = factory;
        this.p = p;
        this.buf = buf;
        this.base = base;
    }

    /** Decodes {@code buf[offset..offset+length)}. */
    public static RpcPacket read(JsonFactory factory, byte[] buf, int offset, int length,
            Function<String, Class<?>> paramsTypes, ObjectMapper mapper) {
        if (!Utf8Validation.isValid(buf, offset, length)) {
            return PARSE_ERROR; // RFC 8259 §8.1: JSON text is UTF-8; nothing malformed is handed on or echoed
        }
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), buf, offset, length)) {
            return new EnvelopeReader(factory, p, buf, offset, paramsTypes, mapper).readFrame();
        } catch (JacksonException e) {
            return PARSE_ERROR;
        } catch (BindFailed e) {
            // the params did not bind in place: read the frame again and leave them raw
            return read(factory, buf, offset, length, null, null);
        }
    }

    /** Params that did not bind during the envelope pass; the parser's position is lost, so decoding restarts. */
    private static final class BindFailed extends RuntimeException {
        BindFailed() {
            super(null, null, false, false);
        }
    }

    /** The top-level members of {@code object}, each kept raw; empty when it is not an object or unreadable. */
    public static java.util.Map<String, RawJson> members(JsonFactory factory, RawJson object) {
        java.util.Map<String, RawJson> out = new java.util.HashMap<>();
        if (object == null || !object.isObject()) {
            return out;
        }
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), object.array(), object.offset(),
                object.length())) {
            EnvelopeReader r = new EnvelopeReader(factory, p, object.array(), object.offset());
            p.nextToken();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                out.put(name, r.capture(p.nextToken()));
            }
        } catch (JacksonException e) {
            out.clear();
        }
        return out;
    }

    /** The elements of {@code array}, each kept raw; empty when it is not an array or unreadable. */
    public static List<RawJson> elements(JsonFactory factory, RawJson array) {
        List<RawJson> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), array.array(), array.offset(),
                array.length())) {
            EnvelopeReader r = new EnvelopeReader(factory, p, array.array(), array.offset());
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                out.add(r.capture(t));
            }
        } catch (JacksonException e) {
            out.clear();
        }
        return out;
    }

    private RpcPacket readFrame() {
        JsonToken t = p.nextToken();
        RpcPacket packet;
        if (t == null) {
            return PARSE_ERROR;
        } else if (t == JsonToken.START_OBJECT) {
            packet = readObject();
        } else if (t == JsonToken.START_ARRAY) {
            packet = readBatch();
        } else {
            p.skipChildren();
            packet = INVALID;
        }
        if (p.nextToken() != null) {
            return PARSE_ERROR; // trailing content after the value
        }
        return packet;
    }

    private RpcPacket readBatch() {
        List<RpcPacket> members = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_OBJECT) {
                members.add(readObject());
            } else {
                p.skipChildren();
                members.add(INVALID);
            }
        }
        return members.isEmpty() ? INVALID : new RpcBatch(members);
    }

    private RpcPacket readObject() {
        int seen = 0;
        boolean bad = false;
        boolean badId = false;
        RpcId id = null;
        String method = null;
        RawJson params = null;
        RawJson result = null;
        RawJson error = null;
        Map<String, String> metadata = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            if (name.equals(dev.plumb.rpc.RpcMetadata.MEMBER)) {
                metadata = readMetadata(t);
                continue;
            }
            int flag = switch (name) {
                case "jsonrpc" -> EnvelopeRules.F_JSONRPC;
                case "id" -> EnvelopeRules.F_ID;
                case "method" -> EnvelopeRules.F_METHOD;
                case "params" -> EnvelopeRules.F_PARAMS;
                case "result" -> EnvelopeRules.F_RESULT;
                case "error" -> EnvelopeRules.F_ERROR;
                default -> 0;
            };
            if ((seen & flag) != 0) {
                bad = true; // a member given twice
            }
            seen |= flag;
            switch (flag) {
                case EnvelopeRules.F_JSONRPC -> {
                    if (t != JsonToken.VALUE_STRING || !isVersion2()) {
                        bad = true;
                    }
                }
                case EnvelopeRules.F_ID -> {
                    id = readId(t);
                    if (id == null) {
                        badId = true;
                        p.skipChildren();
                    }
                }
                case EnvelopeRules.F_METHOD -> {
                    if (t == JsonToken.VALUE_STRING) {
                        method = p.getString();
                    } else {
                        bad = true;
                        p.skipChildren();
                    }
                }
                case EnvelopeRules.F_PARAMS -> {
                    if (t != JsonToken.START_ARRAY && t != JsonToken.START_OBJECT) {
                        bad = true;
                        params = capture(t);
                    } else {
                        Class<?> type = paramsTypes == null || method == null ? null : paramsTypes.apply(method);
                        params = type == null ? capture(t) : captureBound(t, type);
                    }
                }
                case EnvelopeRules.F_RESULT -> result = capture(t);
                case EnvelopeRules.F_ERROR -> error = capture(t);
                default -> p.skipChildren();
            }
        }
        return EnvelopeRules.packet(seen, bad, badId, id, method, params, result, error, metadata,
                this::readErrorObject);
    }

    /**
     * The string members of the metadata object {@code raw} (a request's {@code "$meta"}; others are skipped);
     * {@code null} when it is not an object or has none.
     */
    public static Map<String, String> metadata(JsonFactory factory, RawJson raw) {
        try (JsonParser mp = factory.createParser(ObjectReadContext.empty(), raw.array(), raw.offset(), raw.length())) {
            return new EnvelopeReader(factory, mp, raw.array(), raw.offset()).readMetadata(mp.nextToken());
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The string members of a metadata object (others are skipped); {@code null} when it is not an object. */
    private Map<String, String> readMetadata(JsonToken t) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING) {
                m.put(key, p.getString());
            } else {
                p.skipChildren();
            }
        }
        return m.isEmpty() ? null : java.util.Collections.unmodifiableMap(m);
    }

    /** Reads {@code {"code":…,"message":…,"data":…}}; {@code null} when it is not a valid error object. */
    private RpcError readErrorObject(RawJson raw) {
        if (!raw.isObject()) {
            return null;
        }
        try (JsonParser ep = factory.createParser(ObjectReadContext.empty(), buf, raw.offset(), raw.length())) {
            EnvelopeReader sub = new EnvelopeReader(factory, ep, buf, raw.offset());
            ep.nextToken();
            Integer code = null;
            String message = null;
            RawJson data = null;
            JsonToken t;
            while ((t = ep.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = ep.currentName();
                t = ep.nextToken();
                switch (name) {
                    case "code" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT) {
                            return null;
                        }
                        code = ep.getIntValue();
                    }
                    case "message" -> {
                        if (t != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        message = ep.getString();
                    }
                    case "data" -> data = sub.capture(t);
                    default -> ep.skipChildren();
                }
            }
            if (code == null) {
                return null;
            }
            return new RpcError(code, message == null ? "" : message, data == null || data.isNull() ? null : data);
        }
    }

    /** Whether the current string token is exactly {@code "2.0"}, read without making a String. */
    private boolean isVersion2() {
        if (p.getStringLength() != 3) {
            return false;
        }
        char[] c = p.getStringCharacters();
        int o = p.getStringOffset();
        return c[o] == '2' && c[o + 1] == '.' && c[o + 2] == '0';
    }

    private RpcId readId(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> RpcId.of(p.getString());
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || "-0".equals(p.getString()) ? RpcId.ofNumberText(p.getString()) : RpcId.of(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> RpcId.ofNumberText(p.getString());
            case VALUE_NULL -> RpcId.NULL;
            default -> null;
        };
    }

    /** Like {@link #capture} but binds the value to {@code type} on the way, as the router would. */
    private RawJson captureBound(JsonToken t, Class<?> type) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        Object value;
        try {
            if (type.isRecord()) {
                value = ParamBinder.readRecord(mapper, type, p, t, buf, base);
            } else if (t == JsonToken.START_OBJECT && type != RawJson.class && type != dev.plumb.rpc.RpcParams.class) {
                value = readers(mapper).computeIfAbsent(type, c -> mapper.readerFor(c)
                        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).readValue(p);
            } else {
                return capture(t);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new BindFailed(); // left raw: binding it later reports the error (or the lack of memory)
        }
        int end = (int) p.currentLocation().getByteOffset();
        return RawJson.wrapBound(buf, base + start, end - start, type, value);
    }

    private static final Map<ObjectMapper, Map<Class<?>, ObjectReader>> READERS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static Map<Class<?>, ObjectReader> readers(ObjectMapper mapper) {
        return READERS.computeIfAbsent(mapper, m -> new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** The raw bytes of the value whose first token is {@code t}, leaving the parser on its last token. */
    private RawJson capture(JsonToken t) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        int end = (int) p.currentLocation().getByteOffset();
        return RawJson.wrap(buf, base + start, end - start);
    }
}
