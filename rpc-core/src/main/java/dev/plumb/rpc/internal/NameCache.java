package dev.plumb.rpc.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Short ASCII strings seen lately — method names and object member names — kept so that a name that recurs in
 * every frame is one {@code String} (with its hash code computed once) rather than a new one per frame, as
 * Jackson's symbol table does for names. A fixed table indexed by a hash of the bytes; a slot keeps the name seen
 * last. Shared by all threads without locking: a slot holds an immutable entry (its bytes are never written after
 * it is made, and its fields are final) or {@code null}, so a racing read sees either a complete name or a miss.
 */
final class NameCache {

    /** Names longer than this are decoded each time. */
    static final int MAX_LENGTH = 64;
    private static final Entry[] SLOTS = new Entry[1024];

    private record Entry(byte[] bytes, String string) {
    }

    private NameCache() {
    }

    /** The string of the ASCII bytes {@code b[from..from+len)} (no escapes; {@code len} at most {@link #MAX_LENGTH}). */
    static String ascii(byte[] b, int from, int len) {
        if (len == 0) {
            return "";
        }
        // a cheap hash of the length and three bytes: a collision only costs a miss
        int h = len * 0x9E3779B1 ^ b[from] << 5 ^ b[from + len - 1] << 11 ^ b[from + (len >> 1)] << 17;
        int slot = (h ^ h >>> 15) & (SLOTS.length - 1);
        Entry cached = SLOTS[slot];
        if (cached != null && cached.bytes.length == len && JsonScanner.sameBytes(b, from, cached.bytes)) {
            return cached.string;
        }
        byte[] bytes = Arrays.copyOfRange(b, from, from + len);
        String name = new String(bytes, StandardCharsets.ISO_8859_1);
        SLOTS[slot] = new Entry(bytes, name);
        return name;
    }
}
