package dev.plumb.rpc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A request id exactly as it travels: a string, a number (any size, kept as its JSON text), or {@code null}.
 *
 * <p>An id read from the wire is echoed byte for byte in the reply. Two numeric ids are equal when their values
 * are equal ({@code 1}, {@code 1.0} and {@code 1e0} match), so a peer that reformats numbers still finds its call.
 */
public final class RpcId {

    /** The kinds of value an id may have. */
    public enum Kind { STRING, NUMBER, NULL }

    /** The {@code null} id. */
    public static final RpcId NULL = new RpcId(Kind.NULL, null, 0, false, "null".getBytes(StandardCharsets.US_ASCII));

    private final Kind kind;
    private final String text;
    private final long longValue;
    private final boolean isLong;
    private byte[] json;

    private RpcId(Kind kind, String text, long longValue, boolean isLong, byte[] json) {
        this.kind = kind;
        this.text = text;
        this.longValue = longValue;
        this.isLong = isLong;
        this.json = json;
    }

    /** A numeric id. */
    public static RpcId of(long value) {
        return new RpcId(Kind.NUMBER, null, value, true, null);
    }

    /** A string id. */
    public static RpcId of(String value) {
        return new RpcId(Kind.STRING, Objects.requireNonNull(value, "value"), 0, false, null);
    }

    /** A numeric id of any size, e.g. {@code 12345678901234567890}. */
    public static RpcId of(BigInteger value) {
        if (value.bitLength() < 64) {
            return of(value.longValue());
        }
        return new RpcId(Kind.NUMBER, value.toString(), 0, false, null);
    }

    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** A numeric id from its JSON text, which is kept verbatim for the reply. */
    public static RpcId ofNumberText(String jsonNumber) {
        try {
            if (jsonNumber.length() < 19 && jsonNumber.indexOf('.') < 0 && jsonNumber.indexOf('e') < 0
                    && jsonNumber.indexOf('E') < 0) {
                long v = Long.parseLong(jsonNumber);
                return new RpcId(Kind.NUMBER, jsonNumber, v, true, null);
            }
        } catch (NumberFormatException ignored) {
            // fall through to the general form
        }
        if (!JSON_NUMBER.matcher(jsonNumber).matches()) {
            throw new NumberFormatException("not a JSON number: " + jsonNumber);
        }
        return new RpcId(Kind.NUMBER, jsonNumber, 0, false, null);
    }

    /** What kind of value this id is. */
    public Kind kind() {
        return kind;
    }

    /** Whether this is the {@code null} id. */
    public boolean isNull() {
        return kind == Kind.NULL;
    }

    /** The string value of a string id, or the JSON text of a number id; {@code null} for the null id. */
    public String asText() {
        if (kind == Kind.NUMBER && text == null) {
            return Long.toString(longValue);
        }
        return text;
    }

    /** The decimal digits of {@code v} as ASCII bytes, without making a {@code String} (ids are written often). */
    private static byte[] digits(long v) {
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        }
        boolean negative = v < 0;
        long rest = negative ? -v : v;
        int n = negative ? 2 : 1;
        for (long t = rest; t >= 10; t /= 10) {
            n++;
        }
        byte[] out = new byte[n];
        int i = n;
        do {
            out[--i] = (byte) ('0' + (rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (negative) {
            out[0] = '-';
        }
        return out;
    }

    /** Appends the id as it is written in JSON; a number id's digits go straight into {@code out}. */
    void writeTo(dev.plumb.rpc.internal.FrameBuffer out) {
        if (kind == Kind.NUMBER && text == null && json == null) {
            out.appendLong(longValue);
        } else {
            out.append(json());
        }
    }

    /** The id as it is written in JSON, e.g. {@code "abc"}, {@code 7} or {@code null}. */
    public byte[] json() {
        byte[] j = json;
        if (j == null) {
            j = switch (kind) {
                case NUMBER -> text == null ? digits(longValue) : text.getBytes(StandardCharsets.US_ASCII);
                case STRING -> dev.plumb.rpc.internal.JsonText.quote(text);
                case NULL -> RpcId.NULL.json;
            };
            json = j;
        }
        return j;
    }

    /**
     * Whether the number's exponent has more than four digits: such ids (which no implementation makes) compare
     * by their text, since comparing them by value could take unbounded time and memory.
     */
    private boolean hugeExponent() {
        if (isLong || text == null) {
            return false;
        }
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        if (e < 0) {
            return false;
        }
        int digits = text.length() - e - 1;
        if (digits > 0 && (text.charAt(e + 1) == '-' || text.charAt(e + 1) == '+')) {
            digits--;
        }
        return digits > 4;
    }

    private BigDecimal decimal() {
        return isLong ? BigDecimal.valueOf(longValue) : new BigDecimal(text);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RpcId other) || other.kind != kind) {
            return false;
        }
        return switch (kind) {
            case NULL -> true;
            case STRING -> text.equals(other.text);
            case NUMBER -> (isLong && other.isLong) ? longValue == other.longValue
                    : (hugeExponent() || other.hugeExponent()) ? text != null && text.equals(other.text)
                    : decimal().compareTo(other.decimal()) == 0;
        };
    }

    @Override
    public int hashCode() {
        return switch (kind) {
            case NULL -> 0;
            case STRING -> text.hashCode();
            case NUMBER -> isLong ? Long.hashCode(longValue) : hugeExponent() ? text.hashCode() : numberHash();
        };
    }

    private int numberHash() {
        BigDecimal d = decimal().stripTrailingZeros();
        try {
            return Long.hashCode(d.longValueExact());
        } catch (ArithmeticException notLong) {
            return d.hashCode();
        }
    }

    @Override
    public String toString() {
        return new String(json(), StandardCharsets.UTF_8);
    }
}
