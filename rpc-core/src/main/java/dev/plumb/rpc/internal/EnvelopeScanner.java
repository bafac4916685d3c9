package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcBatch;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcInvalid;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcParams;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

/**
 * Decodes a frame into a {@link RpcPacket} with {@link JsonScanner}: the fast path of decoding, taken whenever the
 * codec's factory reads strict JSON (Jackson's defaults). It applies the same rules as {@link EnvelopeReader}
 * (written down in {@code docs/conformance.md}) and gives the same packets, but validates the whole frame,
 * UTF-8 included, in one pass over its bytes without making a parser, tokens or strings for what it only skips.
 * Jackson is used only to bind params to a known type.
 */
public final class EnvelopeScanner {

    private static final RpcInvalid PARSE_ERROR = EnvelopeRules.PARSE_ERROR;
    private static final RpcInvalid INVALID = EnvelopeRules.INVALID;


    private static final byte[] JSONRPC = ascii("jsonrpc");
    private static final byte[] ID = ascii("id");
    private static final byte[] METHOD = ascii("method");
    private static final byte[] PARAMS = ascii("params");
    private static final byte[] RESULT = ascii("result");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] META = ascii(dev.plumb.rpc.RpcMetadata.MEMBER);
    private static final byte[] CODE = ascii("code");
    private static final byte[] MESSAGE = ascii("message");
    private static final byte[] DATA = ascii("data");
    private static final byte[] VERSION = ascii("\"2.0\"");

    private final byte[] b;
    private final JsonScanner s;
    private final Function<String, Class<?>> paramsTypes;
    private final ObjectMapper mapper;
    private final JsonFactory factory;

    private EnvelopeScanner(byte[] b, JsonScanner s, Function<String, Class<?>> paramsTypes, ObjectMapper mapper,
            JsonFactory factory) {
        this.b = b;
        this.s = s;
        this.paramsTypes = paramsTypes;
        this.mapper = mapper;
        this.factory = factory;
    }

    /**
     * Whether frames read with {@code factory} can take this path: its JSON read features are the defaults (no
     * comments, single quotes and the like), it does not look for duplicate names, and its constraints are ones
     * the scanner applies.
     */
    public static boolean covers(JsonFactory factory) {
        return factory.getFormatReadFeatures() == JsonReadFeature.collectDefaults()
                && !factory.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                && JsonScanner.covers(factory.streamReadConstraints());
    }

    /** Decodes {@code buf[offset..offset+length)}; {@code paramsTypes} and {@code mapper} as in {@link EnvelopeReader#read}. */
    public static RpcPacket read(JsonFactory factory, byte[] buf, int offset, int length,
            Function<String, Class<?>> paramsTypes, ObjectMapper mapper) {
        JsonScanner s = new JsonScanner(buf, offset, length, factory.streamReadConstraints());
        try {
            return new EnvelopeScanner(buf, s, paramsTypes, mapper, factory).readFrame();
        } catch (RuntimeException e) {
            if (JsonScanner.isMalformed(e)) {
                return PARSE_ERROR;
            }
            throw e;
        }
    }

    /** The top-level members of {@code object}, each kept raw; empty when it is not a valid object. */
    public static Map<String, RawJson> members(StreamReadConstraints constraints, RawJson object) {
        Map<String, RawJson> out = new HashMap<>();
        if (object == null || !object.isObject()) {
            return out;
        }
        byte[] buf = object.array();
        JsonScanner s = new JsonScanner(buf, object.offset(), object.length(), constraints);
        boolean whole = readsWhole(s, () -> {
            if (s.enterNonEmpty('}')) {
                do {
                    s.skipWhitespace();
                    int nameAt = s.pos();
                    String name = s.decodeString(nameAt, s.skipMemberName());
                    s.expect(':');
                    int start = s.skipValue();
                    out.put(name, RawJson.wrap(buf, start, s.pos() - start));
                } while (s.nextMember('}'));
            }
        });
        if (!whole) {
            out.clear();
        }
        return out;
    }

    /** The elements of {@code array}, each kept raw; empty when it is not a valid array. */
    public static List<RawJson> elements(StreamReadConstraints constraints, RawJson array) {
        List<RawJson> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return out;
        }
        byte[] buf = array.array();
        JsonScanner s = new JsonScanner(buf, array.offset(), array.length(), constraints);
        boolean whole = readsWhole(s, () -> {
            if (s.enterNonEmpty(']')) {
                do {
                    int start = s.skipValue();
                    out.add(RawJson.wrap(buf, start, s.pos() - start));
                } while (s.nextMember(']'));
            }
        });
        if (!whole) {
            out.clear();
        }
        return out;
    }

    /**
     * Runs {@code read} over {@code s} and answers whether it read strict JSON with only whitespace after it; any
     * failure other than malformed input is thrown.
     */
    private static boolean readsWhole(JsonScanner s, Runnable read) {
        try {
            read.run();
            return s.atEnd();
        } catch (RuntimeException e) {
            if (!JsonScanner.isMalformed(e)) {
                throw e;
            }
            return false;
        }
    }

    private RpcPacket readFrame() {
        int c = s.skipWhitespace();
        RpcPacket packet;
        if (c == -1) {
            return PARSE_ERROR;
        } else if (c == '{') {
            packet = readObject();
        } else if (c == '[') {
            packet = readBatch();
        } else {
            s.skipValue();
            packet = INVALID;
        }
        return s.atEnd() ? packet : PARSE_ERROR; // trailing content after the value
    }

    private RpcPacket readBatch() {
        if (!s.enterNonEmpty(']')) {
            return INVALID;
        }
        List<RpcPacket> members = new ArrayList<>();
        do {
            if (s.skipWhitespace() == '{') {
                members.add(readObject());
            } else {
                s.skipValue();
                members.add(INVALID);
            }
        } while (s.nextMember(']'));
        return new RpcBatch(members);
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
        RawJson meta = null;
        boolean paramsBound = false;
        if (s.enterNonEmpty('}')) {
            do {
                if (s.skipWhitespace() != '"') {
                    throw JsonScanner.MALFORMED;
                }
                int nameAt = s.pos();
                int nameEnd = s.skipName();
                int flag = memberFlag(nameAt, nameEnd);
                s.expect(':');
                int c = s.skipWhitespace();
                if (flag == EnvelopeRules.F_META) {
                    meta = capture(); // read only when the message is a valid request or notification
                    continue;
                }
                if ((seen & flag) != 0) {
                    bad = true; // a member given twice
                }
                seen |= flag;
                switch (flag) {
                    case EnvelopeRules.F_JSONRPC -> {
                        if (c != '"' || !isVersion2()) {
                            bad = true;
                            if (c != '"') {
                                s.skipValue();
                            }
                        }
                    }
                    case EnvelopeRules.F_ID -> {
                        id = readId(c);
                        if (id == null) {
                            badId = true;
                        }
                    }
                    case EnvelopeRules.F_METHOD -> {
                        if (c == '"') {
                            method = readName();
                        } else {
                            bad = true;
                            s.skipValue();
                        }
                    }
                    case EnvelopeRules.F_PARAMS -> {
                        if (c != '[' && c != '{') {
                            bad = true;
                            params = capture();
                        } else {
                            params = method != null && (seen & (EnvelopeRules.F_RESULT | EnvelopeRules.F_ERROR)) == 0
                                    ? bindAtOnce(method) : null;
                            paramsBound = params != null;
                            if (params == null) {
                                params = capture();
                            }
                        }
                    }
                    case EnvelopeRules.F_RESULT -> result = capture();
                    case EnvelopeRules.F_ERROR -> error = capture();
                    default -> s.skipValue();
                }
            } while (s.nextMember('}'));
        }
        if (!paramsBound && paramsTypes != null && params != null && method != null
                && (seen & (EnvelopeRules.F_RESULT | EnvelopeRules.F_ERROR)) == 0) {
            params = bound(method, params);
        }
        Map<String, String> metadata = meta == null ? null : EnvelopeReader.metadata(factory, meta);
        return EnvelopeRules.packet(seen, bad, badId, id, method, params, result, error, metadata,
                this::readErrorObject);
    }

    private int memberFlag(int nameAt, int nameEnd) {
        int from = nameAt + 1;
        int len = nameEnd - 1 - from;
        if (s.lastEscaped()) {
            return switch (JsonScanner.unescape(b, from, nameEnd - 1)) {
                case "jsonrpc" -> EnvelopeRules.F_JSONRPC;
                case "id" -> EnvelopeRules.F_ID;
                case "method" -> EnvelopeRules.F_METHOD;
                case "params" -> EnvelopeRules.F_PARAMS;
                case "result" -> EnvelopeRules.F_RESULT;
                case "error" -> EnvelopeRules.F_ERROR;
                case dev.plumb.rpc.RpcMetadata.MEMBER -> EnvelopeRules.F_META;
                default -> 0;
            };
        }
        return switch (len) {
            case 2 -> is(from, ID) ? EnvelopeRules.F_ID : 0;
            case 5 -> is(from, ERROR) ? EnvelopeRules.F_ERROR : is(from, META) ? EnvelopeRules.F_META : 0;
            case 6 -> is(from, METHOD) ? EnvelopeRules.F_METHOD : is(from, PARAMS) ? EnvelopeRules.F_PARAMS : is(from, RESULT) ? EnvelopeRules.F_RESULT : 0;
            case 7 -> is(from, JSONRPC) ? EnvelopeRules.F_JSONRPC : 0;
            default -> 0;
        };
    }

    private boolean is(int from, byte[] word) {
        return JsonScanner.sameBytes(b, from, word);
    }

    /** Whether the string at the current position is {@code "2.0"}; moves past it. */
    private boolean isVersion2() {
        int start = s.pos();
        int after = s.skipString();
        if (after - start == 5 && java.util.Arrays.equals(b, start, after, VERSION, 0, 5)) {
            return true;
        }
        return s.lastEscaped() && "2.0".equals(s.decodeString(start, after));
    }

    /** Reads a method name, reusing the String of a recent frame when the bytes are the same. */
    private String readName() {
        int start = s.pos();
        return s.decodeName(start, s.skipString());
    }

    private RpcId readId(int c) {
        int start = s.pos();
        if (c == '"') {
            int after = s.skipString();
            return RpcId.of(s.decodeString(start, after));
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            s.skipNumber();
            int end = s.pos();
            if (s.lastInteger() && s.lastIntegerDigits() <= 18 && !(c == '-' && b[start + 1] == '0')) {
                return RpcId.of(JsonScanner.parseLong(b, start, end)); // -0 is kept as written, below
            }
            String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
            if (s.lastInteger() && !text.equals("-0")) {
                BigInteger big = new BigInteger(text);
                return big.bitLength() < 64 ? RpcId.of(big.longValue()) : RpcId.ofNumberText(text);
            }
            return RpcId.ofNumberText(text);
        }
        if (c == 'n') {
            s.skipValue();
            return RpcId.NULL;
        }
        s.skipValue();
        return null;
    }


    private RawJson capture() {
        int start = s.skipValue();
        return RawJson.wrap(b, start, s.pos() - start);
    }

    /**
     * Binds the params at the current position (an array or object, whitespace skipped) to the method's record type
     * while validating them, in one pass, when the type is plainly bindable ({@link PlainRecordReader}); answers
     * {@code null} with the position unchanged otherwise, or when the params are malformed (then they are read again
     * the usual way, which reports it).
     */
    private @Nullable RawJson bindAtOnce(String method) {
        if (paramsTypes == null || !s.shallowEnoughToRecurse()) {
            return null;
        }
        Class<?> type = paramsTypes.apply(method);
        if (type == null) {
            return null;
        }
        PlainRecordReader plain = PlainRecordReader.of(mapper, type);
        if (plain == null) {
            return null;
        }
        int start = s.pos();
        int depth = s.depth();
        try {
            Object value = plain.readAt(s, b);
            if (value != PlainRecordReader.NOT_PLAIN) {
                return RawJson.wrapBound(b, start, s.pos() - start, type, value);
            }
        } catch (RuntimeException e) {
            if (!JsonScanner.isMalformed(e)) {
                throw e;
            }
        }
        s.rewind(start, depth);
        return null;
    }

    /** The params bound to the method's known type, as the router would bind them; left raw when they do not bind. */
    private RawJson bound(String method, RawJson params) {
        Class<?> type = paramsTypes.apply(method);
        if (type == null || type == RawJson.class || type == RpcParams.class) {
            return params;
        }
        boolean record = type.isRecord();
        if (!record && !params.isObject()) {
            return params;
        }
        if (record) {
            PlainRecordReader plain = PlainRecordReader.of(mapper, type);
            if (plain != null) {
                Object value = plain.read(b, params.offset(), params.length(), factory.streamReadConstraints());
                if (value != PlainRecordReader.NOT_PLAIN) {
                    return RawJson.wrapBound(b, params.offset(), params.length(), type, value);
                }
            }
        }
        try (JsonParser p = factory.createParser(ObjectReadContext.empty(), b, params.offset(), params.length())) {
            JsonToken t = p.nextToken();
            Object value = record
                    ? ParamBinder.readRecord(mapper, type, p, t, b, params.offset())
                    : readers(mapper).computeIfAbsent(type, c -> mapper.readerFor(c)
                            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).readValue(p);
            return RawJson.wrapBound(b, params.offset(), params.length(), type, value);
        } catch (RuntimeException | OutOfMemoryError e) {
            return params; // left raw: binding it later reports the error (or the lack of memory)
        }
    }

    private static final Map<ObjectMapper, Map<Class<?>, ObjectReader>> READERS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static Map<Class<?>, ObjectReader> readers(ObjectMapper mapper) {
        return READERS.computeIfAbsent(mapper, m -> new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** Reads {@code {"code":…,"message":…,"data":…}} (already validated); {@code null} when it is not an error object. */
    private RpcError readErrorObject(RawJson raw) {
        if (!raw.isObject()) {
            return null;
        }
        JsonScanner e = new JsonScanner(b, raw.offset(), raw.length(), StreamReadConstraints.defaults());
        e.skipWhitespace();
        e.enter();
        Integer code = null;
        String message = null;
        RawJson data = null;
        if (e.skipWhitespace() == '}') {
            return null;
        }
        do {
            e.skipWhitespace();
            int nameAt = e.pos();
            int nameEnd = e.skipName();
            String name = e.lastEscaped() ? e.decodeString(nameAt, nameEnd) : null;
            e.expect(':');
            int c = e.skipWhitespace();
            int start = e.pos();
            if (name != null ? name.equals("code") : isAt(nameAt, nameEnd, CODE)) {
                if (c != '-' && (c < '0' || c > '9')) {
                    return null;
                }
                e.skipNumber();
                if (!e.lastInteger() || e.lastIntegerDigits() > 10) {
                    return null;
                }
                long v = JsonScanner.parseLong(b, start, e.pos());
                if (v != (int) v) {
                    return null;
                }
                code = (int) v;
            } else if (name != null ? name.equals("message") : isAt(nameAt, nameEnd, MESSAGE)) {
                if (c != '"') {
                    return null;
                }
                int after = e.skipString();
                message = e.decodeString(start, after);
            } else if (name != null ? name.equals("data") : isAt(nameAt, nameEnd, DATA)) {
                e.skipValue();
                data = RawJson.wrap(b, start, e.pos() - start);
            } else {
                e.skipValue();
            }
        } while (e.nextMember('}'));
        if (code == null) {
            return null;
        }
        return new RpcError(code, message == null ? "" : message, data == null || data.isNull() ? null : data);
    }

    private boolean isAt(int nameAt, int nameEnd, byte[] word) {
        return nameEnd - nameAt - 2 == word.length && is(nameAt + 1, word);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
