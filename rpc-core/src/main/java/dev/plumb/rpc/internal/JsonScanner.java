package dev.plumb.rpc.internal;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadConstraints;

/**
 * A strict RFC 8259 scanner over UTF-8 bytes: it validates and skips values, and decodes the few strings and
 * numbers an envelope needs, without building tokens or objects for the rest.
 *
 * <p>Everything it passes is well-formed JSON in well-formed UTF-8 (no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF, no raw control characters in strings), within Jackson's {@link StreamReadConstraints}
 * for nesting depth, number length and name length. Anything else throws {@link #MALFORMED}. Nesting is followed
 * with an explicit stack, so a deep document costs no Java stack. Not thread-safe; one scanner reads one slice.
 */
public final class JsonScanner {

    /** Thrown for anything that is not strict JSON; preallocated, without a stack trace. */
    public static final RuntimeException MALFORMED = new Malformed();

    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super("malformed JSON", null, false, false);
        }
    }

    /** Per byte: 0 plain ASCII in a string, 1 needs a look (quote, backslash, control, non-ASCII). */
    private static final byte[] STRING_STOP = new byte[256];

    static {
        for (int i = 0; i < 0x20; i++) {
            STRING_STOP[i] = 1;
        }
        STRING_STOP['"'] = 1;
        STRING_STOP['\\'] = 1;
        for (int i = 0x80; i < 256; i++) {
            STRING_STOP[i] = 1;
        }
    }

    private final byte[] b;
    private final int end;
    private final int maxDepth;
    private final int maxNumberLength;
    private final int maxNameLength;
    private int pos;
    private int depth;
    /** Whether the container at each depth below 64 is an object (bit {@code depth}); deeper ones in {@link #deeper}. */
    private long objectAt;
    private long @Nullable [] deeper; // made only for a document nested 64 deep or more
    private boolean lastEscaped;
    private boolean lastAscii;

    /** A scanner of {@code b[offset..offset+length)} under {@code constraints}. */
    public JsonScanner(byte[] b, int offset, int length, StreamReadConstraints constraints) {
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
        this.maxDepth = constraints.getMaxNestingDepth();
        this.maxNumberLength = constraints.getMaxNumberLength();
        this.maxNameLength = constraints.getMaxNameLength();
    }

    /** Whether a factory with these constraints can be read by this scanner with the same outcome as Jackson. */
    public static boolean covers(StreamReadConstraints constraints) {
        return !constraints.hasMaxDocumentLength() && !constraints.hasMaxTokenCount();
    }

    // ---------------------------------------------------------------------------------------------- position

    /** The current position in the array. */
    public int pos() {
        return pos;
    }

    /** The byte at the current position as 0–255, or -1 at the end. */
    public int peek() {
        return pos < end ? b[pos] & 0xFF : -1;
    }

    /** Moves past one byte. */
    public void advance() {
        pos++;
    }

    /** Skips whitespace and returns the next byte (0–255), or -1 at the end. */
    public int skipWhitespace() {
        int p = pos;
        if (p < end) {
            int c = b[p] & 0xFF;
            if (c > ' ') {
                return c; // compact JSON: nearly always already at a token
            }
        }
        while (p < end) {
            byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                pos = p;
                return c & 0xFF;
            }
            p++;
        }
        pos = p;
        return -1;
    }

    /** Skips whitespace, requires {@code c} and moves past it. */
    public void expect(char c) {
        if (skipWhitespace() != c) {
            throw MALFORMED;
        }
        pos++;
    }

    /** Whether only whitespace is left. */
    public boolean atEnd() {
        return skipWhitespace() == -1;
    }

    // ---------------------------------------------------------------------------------------------- nesting

    /** Enters an object or array whose opening byte is at the current position (the caller's own nesting). */
    public void enter() {
        push(b[pos] == '{');
        pos++;
    }

    /**
     * Enters the object or array after whitespace and answers whether it has members: for an empty one ({@code {}}
     * or {@code []}, closed by {@code close}) it moves past the close and leaves it again.
     */
    public boolean enterNonEmpty(char close) {
        skipWhitespace();
        enter();
        if (skipWhitespace() == close) {
            pos++;
            depth--;
            return false;
        }
        return true;
    }

    /** Whether {@code e} says the input was not strict JSON (rather than a fault of the reader). */
    public static boolean isMalformed(RuntimeException e) {
        return e == MALFORMED || e instanceof ArrayIndexOutOfBoundsException;
    }

    /** Leaves the container entered last. */
    public void leave() {
        depth--;
    }

    private void push(boolean object) {
        if (++depth > maxDepth) {
            throw MALFORMED; // Jackson's StreamConstraintsException: the frame is unreadable either way
        }
        long bit = 1L << (depth & 63);
        if (depth < 64) {
            objectAt = object ? objectAt | bit : objectAt & ~bit;
            return;
        }
        int word = (depth >>> 6) - 1;
        if (deeper == null) {
            deeper = new long[8];
        } else if (word >= deeper.length) {
            deeper = java.util.Arrays.copyOf(deeper, deeper.length * 2);
        }
        deeper[word] = object ? deeper[word] | bit : deeper[word] & ~bit;
    }

    private boolean inObject() {
        long bits = depth < 64 ? objectAt : deeper[(depth >>> 6) - 1];
        return (bits & (1L << (depth & 63))) != 0;
    }

    // ---------------------------------------------------------------------------------------------- values

    /** Skips whitespace, then validates and skips one value; returns its start position. */
    public int skipValue() {
        int c = skipWhitespace();
        int start = pos;
        switch (c) {
            case '{', '[' -> skipNested();
            case '"' -> skipString();
            default -> skipScalar(c);
        }
        return start;
    }

    private void skipScalar(int c) {
        switch (c) {
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> skipNumber();
        }
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private void literal(byte[] word) {
        int n = word.length;
        if (end - pos < n || !java.util.Arrays.equals(b, pos, pos + n, word, 0, n)) {
            throw MALFORMED;
        }
        pos += n;
    }

    /** Validates an object or array starting at the current position, iteratively. */
    private void skipNested() {
        int base = depth;
        for (;;) {
            // a value starts at pos (whitespace skipped)
            int c = pos < end ? b[pos] & 0xFF : -1;
            if (c == '{') {
                push(true);
                pos++;
                if (skipWhitespace() == '}') {
                    pos++;
                    depth--;
                } else {
                    name();
                    continue;
                }
            } else if (c == '[') {
                push(false);
                pos++;
                if (skipWhitespace() == ']') {
                    pos++;
                    depth--;
                } else {
                    continue;
                }
            } else if (c == '"') {
                skipString();
            } else {
                skipScalar(c);
            }
            // after a value: close containers, or move on to the next member
            for (;;) {
                if (depth == base) {
                    return;
                }
                int d = skipWhitespace();
                boolean object = inObject();
                if (d == ',') {
                    pos++;
                    if (object) {
                        name();
                    } else {
                        skipWhitespace();
                    }
                    break;
                } else if (d == (object ? '}' : ']')) {
                    pos++;
                    depth--;
                } else {
                    throw MALFORMED;
                }
            }
        }
    }

    /** Reads {@code "name" :} and leaves the position on the member's value. */
    private void name() {
        skipMemberName();
        expect(':');
        skipWhitespace();
    }

    /**
     * Skips whitespace, then validates and skips an object member's name (a string, within the name length limit,
     * without an escaped lone surrogate); returns the position after its closing quote, where the position is left.
     */
    public int skipMemberName() {
        if (skipWhitespace() != '"') {
            throw MALFORMED;
        }
        int start = pos;
        skipName();
        if (pos - start - 2 > maxNameLength) {
            throw MALFORMED;
        }
        return pos;
    }

    /** How deep the position is nested (containers entered and not yet left). */
    public int depth() {
        return depth;
    }

    /** Moves back to {@code pos} at nesting {@code depth}, both as read earlier, to read from there again. */
    public void rewind(int pos, int depth) {
        this.pos = pos;
        this.depth = depth;
    }

    /** Whether documents as deep as the constraints allow may be read by recursing once per level. */
    public boolean shallowEnoughToRecurse() {
        return maxDepth <= 1000;
    }

    /**
     * Reads an object member's name at the current position (after whitespace) and the colon after it, leaving
     * the position at the value; returns the name's opening quote position (see {@link #lastEscaped()}).
     */
    public int memberName() {
        int start = pos;
        name();
        return start;
    }

    /**
     * Validates and skips a string whose opening quote is at the current position; returns the position after
     * its closing quote. {@link #lastEscaped()} and {@link #lastAscii()} then describe it.
     */
    public int skipString() {
        final byte[] b = this.b;
        final int end = this.end;
        int p = pos + 1;
        boolean escaped = false;
        boolean ascii = true;
        for (;;) {
            while (p < end && STRING_STOP[b[p] & 0xFF] == 0) {
                p++;
            }
            if (p >= end) {
                throw MALFORMED;
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                break;
            } else if (c == '\\') {
                escaped = true;
                p = escape(p + 1);
            } else if (c < 0x20) {
                throw MALFORMED;
            } else {
                ascii = false;
                p = utf8(p, c);
            }
        }
        pos = p + 1;
        lastEscaped = escaped;
        lastAscii = ascii;
        return pos;
    }

    private int escape(int p) {
        if (p >= end) {
            throw MALFORMED;
        }
        switch (b[p]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return p + 1;
            }
            case 'u' -> {
                if (p + 4 >= end) {
                    throw MALFORMED;
                }
                for (int i = 1; i <= 4; i++) {
                    if (hex(b[p + i]) < 0) {
                        throw MALFORMED;
                    }
                }
                return p + 5;
            }
            default -> throw MALFORMED;
        }
    }

    /** Validates one multi-byte UTF-8 sequence whose lead byte {@code c} is at {@code p}; returns the next position. */
    private int utf8(int p, int c) {
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) {
                lo = 0xA0; // no overlong three-byte forms
            } else if (c == 0xED) {
                hi = 0x9F; // no encoded surrogates
            }
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) {
                lo = 0x90; // no overlong four-byte forms
            } else if (c == 0xF4) {
                hi = 0x8F; // nothing above U+10FFFF
            }
        } else {
            throw MALFORMED; // a continuation byte, an overlong two-byte lead (C0, C1), or F5–FF
        }
        if (p + n >= end) {
            throw MALFORMED;
        }
        int second = b[p + 1] & 0xFF;
        if (second < lo || second > hi) {
            throw MALFORMED;
        }
        for (int i = 2; i <= n; i++) {
            if ((b[p + i] & 0xC0) != 0x80) {
                throw MALFORMED;
            }
        }
        return p + n + 1;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Like {@link #skipString} for a member name, which may not hold an escaped lone surrogate ({@code "\\udc00"}):
     * Jackson refuses such names, so a frame that has one is unreadable either way (RFC 8259 §8.2 leaves unpaired
     * surrogates to the implementation).
     */
    public int skipName() {
        int start = pos;
        int after = skipString();
        if (lastEscaped && loneSurrogateEscape(start + 1, after - 1)) {
            throw MALFORMED;
        }
        return after;
    }

    private boolean loneSurrogateEscape(int from, int to) {
        boolean pendingHigh = false;
        for (int p = from; p < to; p++) {
            if (b[p] != '\\') {
                if (pendingHigh) {
                    return true;
                }
                continue;
            }
            if (b[p + 1] != 'u') {
                if (pendingHigh) {
                    return true;
                }
                p++;
                continue;
            }
            int c = (hex(b[p + 2]) << 12) | (hex(b[p + 3]) << 8) | (hex(b[p + 4]) << 4) | hex(b[p + 5]);
            p += 5;
            if (Character.isHighSurrogate((char) c)) {
                if (pendingHigh) {
                    return true;
                }
                pendingHigh = true;
            } else if (Character.isLowSurrogate((char) c)) {
                if (!pendingHigh) {
                    return true;
                }
                pendingHigh = false;
            } else if (pendingHigh) {
                return true;
            }
        }
        return pendingHigh;
    }

    /** Whether {@code b[from..from+word.length)} holds {@code word} (a short one: compared byte by byte). */
    public static boolean sameBytes(byte[] b, int from, byte[] word) {
        int n = word.length;
        if (from + n > b.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[from + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last string skipped held an escape. */
    public boolean lastEscaped() {
        return lastEscaped;
    }

    /** Whether the last string skipped was all ASCII. */
    public boolean lastAscii() {
        return lastAscii;
    }

    // ---------------------------------------------------------------------------------------------- numbers

    private boolean lastInteger;
    private int lastIntegerDigits;

    /** Validates and skips a number at the current position; {@link #lastInteger()} tells whether it had no fraction or exponent. */
    public void skipNumber() {
        int p = pos;
        if (p < end && b[p] == '-') {
            p++;
        }
        int digits = p;
        if (p < end && b[p] == '0') {
            p++;
        } else if (p < end && b[p] >= '1' && b[p] <= '9') {
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
        } else {
            throw MALFORMED;
        }
        lastIntegerDigits = p - digits;
        boolean integer = true;
        if (p < end && b[p] == '.') {
            integer = false;
            p = digits(p + 1);
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            integer = false;
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            p = digits(p);
        }
        if (p - pos > maxNumberLength) {
            throw MALFORMED; // Jackson's number length constraint
        }
        lastInteger = integer;
        pos = p;
    }

    private int digits(int p) {
        int start = p;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        if (p == start) {
            throw MALFORMED;
        }
        return p;
    }

    /** Whether the last number skipped was an integer. */
    public boolean lastInteger() {
        return lastInteger;
    }

    /** How many digits the last number's integer part had. */
    public int lastIntegerDigits() {
        return lastIntegerDigits;
    }

    /**
     * After a member or element: moves past a comma and answers {@code true}, or past the container's
     * {@code close} (leaving it) and answers {@code false}; anything else is {@link #MALFORMED}.
     */
    public boolean nextMember(char close) {
        int c = skipWhitespace();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c == close) {
            pos++;
            depth--;
            return false;
        }
        throw MALFORMED;
    }

    /** The value of the integer {@code b[start..end)}, which has at most 18 digits. */
    public static long parseLong(byte[] b, int start, int end) {
        boolean negative = b[start] == '-';
        long v = 0;
        for (int i = negative ? start + 1 : start; i < end; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return negative ? -v : v;
    }

    // ---------------------------------------------------------------------------------------------- decoding

    /**
     * Decodes the string skipped last, given its opening quote at {@code start} and its end {@code after} (the
     * position after the closing quote).
     */
    public String decodeString(int start, int after) {
        int from = start + 1;
        int to = after - 1;
        if (!lastEscaped) {
            return new String(b, from, to - from, lastAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        return unescape(b, from, to);
    }

    /**
     * Decodes the string skipped last like {@link #decodeString}, for a name that recurs from frame to frame (a
     * method or member name): a short ASCII one is taken from the {@link NameCache}.
     */
    public String decodeName(int start, int after) {
        int len = after - start - 2;
        if (lastEscaped || !lastAscii || len > NameCache.MAX_LENGTH) {
            return decodeString(start, after);
        }
        return NameCache.ascii(b, start + 1, len);
    }

    /** Decodes the content of a valid JSON string between {@code from} and {@code to} (exclusive), escapes included. */
    static String unescape(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int run = from;
        int p = from;
        while (p < to) {
            if (b[p] != '\\') {
                p++;
                continue;
            }
            if (p > run) {
                out.append(new String(b, run, p - run, StandardCharsets.UTF_8));
            }
            byte e = b[p + 1];
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append((char) ((hex(b[p + 2]) << 12) | (hex(b[p + 3]) << 8) | (hex(b[p + 4]) << 4)
                        | hex(b[p + 5])));
                default -> out.append((char) e); // " \ /
            }
            p += e == 'u' ? 6 : 2;
            run = p;
        }
        if (p > run) {
            out.append(new String(b, run, p - run, StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
