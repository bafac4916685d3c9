package dev.plumb.rpc.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that bytes are well-formed UTF-8 as RFC 3629 defines it (and RFC 8259 §8.1 requires of JSON text): no
 * overlong forms, no encoded surrogates ({@code U+D800..U+DFFF}), nothing above {@code U+10FFFF}, no stray or
 * missing continuation bytes. Runs of ASCII are checked sixteen, then eight, bytes at a time.
 */
public final class Utf8Validation {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Validation() {
    }

    /** Whether {@code b[offset..offset+length)} is well-formed UTF-8. */
    public static boolean isValid(byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            // ASCII fast path: sixteen bytes per step, then eight; else straight to the first byte with its high bit
            while (i + 16 <= end && (((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8)) & HIGH_BITS) == 0) {
                i += 16;
            }
            if (i >= end) {
                break;
            }
            if (i + 8 <= end) {
                long high = (long) LONGS.get(b, i) & HIGH_BITS;
                if (high == 0) {
                    i += 8;
                    continue;
                }
                i += Long.numberOfTrailingZeros(high) >>> 3;
            } else if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = multiByte(b, i, end);
            if (n == 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /**
     * The length of the well-formed multi-byte sequence starting at {@code b[i]} (whose high bit is set), or 0 when
     * it is malformed. The ranges are those of RFC 3629 §4.
     */
    private static int multiByte(byte[] b, int i, int end) {
        int lead = b[i] & 0xFF;
        if (lead < 0xC2) {
            return 0; // a continuation byte without a lead, or C0/C1 (overlong two-byte forms)
        }
        if (lead < 0xE0) {
            return i + 1 < end && isContinuation(b[i + 1]) ? 2 : 0;
        }
        if (lead < 0xF0) {
            if (i + 2 >= end) {
                return 0;
            }
            int second = b[i + 1] & 0xFF;
            boolean ok = switch (lead) {
                case 0xE0 -> second >= 0xA0 && second <= 0xBF; // shorter forms are overlong
                case 0xED -> second >= 0x80 && second <= 0x9F; // A0..BF would encode surrogates
                default -> second >= 0x80 && second <= 0xBF;
            };
            return ok && isContinuation(b[i + 2]) ? 3 : 0;
        }
        if (lead < 0xF5) {
            if (i + 3 >= end) {
                return 0;
            }
            int second = b[i + 1] & 0xFF;
            boolean ok = switch (lead) {
                case 0xF0 -> second >= 0x90 && second <= 0xBF; // shorter forms are overlong
                case 0xF4 -> second >= 0x80 && second <= 0x8F; // 90 and up would pass U+10FFFF
                default -> second >= 0x80 && second <= 0xBF;
            };
            return ok && isContinuation(b[i + 2]) && isContinuation(b[i + 3]) ? 4 : 0;
        }
        return 0; // F5..FF never appear in UTF-8
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
