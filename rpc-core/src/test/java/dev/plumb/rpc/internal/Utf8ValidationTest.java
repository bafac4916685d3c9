package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The validator agrees with the JDK's strict UTF-8 decoder on every short sequence and on random text. */
class Utf8ValidationTest {

    private static final java.nio.charset.CharsetDecoder JDK = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private static boolean jdkAccepts(byte[] b) {
        try {
            JDK.reset().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void theFormsOfTheIssueAreRefusedAndRealTextIsAccepted() {
        assertThat(Utf8Validation.isValid(bytes(0xC0, 0xAF), 0, 2)).as("overlong /").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0xED, 0xA0, 0x80), 0, 3)).as("surrogate D800").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4)).as("U+110000").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0xE0, 0x80, 0xAF), 0, 3)).as("overlong 3-byte").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0xF0, 0x80, 0x80, 0xAF), 0, 4)).as("overlong 4-byte").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0xE2, 0x82), 0, 2)).as("truncated").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0x80), 0, 1)).as("stray continuation").isFalse();
        assertThat(Utf8Validation.isValid(bytes(0xFF), 0, 1)).as("FF").isFalse();
        byte[] text = "plain ASCII long enough for the wide loop, é, 😀, 日本語, and ASCII again at the end"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Validation.isValid(text, 0, text.length)).isTrue();
        assertThat(Utf8Validation.isValid(new byte[0], 0, 0)).isTrue();
    }

    @Test
    void onlyTheGivenSliceIsChecked() {
        byte[] b = bytes(0xFF, 'a', 'b', 0xE2, 0x82, 0xAC, 0xFF);
        assertThat(Utf8Validation.isValid(b, 1, 5)).isTrue();
        assertThat(Utf8Validation.isValid(b, 1, 4)).as("cut inside the euro sign").isFalse();
        assertThat(Utf8Validation.isValid(b, 0, 6)).isFalse();
    }

    @Test
    void everySequenceOfUpToThreeBytesIsJudgedAsTheJdkJudgesIt() {
        for (int a = 0; a < 256; a++) {
            check(bytes(a));
            for (int b = 0; b < 256; b++) {
                check(bytes(a, b));
                if (a >= 0xE0 && a < 0xF0) {
                    for (int c = 0; c < 256; c++) {
                        check(bytes(a, b, c));
                    }
                }
            }
        }
    }

    @Test
    void everyFourByteLeadWithEveryBoundaryIsJudgedAsTheJdkJudgesIt() {
        int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        for (int a = 0xF0; a < 0x100; a++) {
            for (int b : edges) {
                for (int c : edges) {
                    for (int d : edges) {
                        check(bytes(a, b, c, d));
                    }
                }
            }
        }
    }

    @Test
    void randomMixedTextAtEveryOffsetIsJudgedAsTheJdkJudgesIt() {
        SplittableRandom random = new SplittableRandom(12);
        String[] pieces = {"a", "abcdefghij", "é", "😀", "日本", "\u007f", " "};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(1, 12);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean()) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256); // often breaks it, sometimes not
            }
            check(b);
            int from = random.nextInt(b.length);
            byte[] tail = java.util.Arrays.copyOfRange(b, from, b.length);
            assertThat(Utf8Validation.isValid(b, from, b.length - from)).isEqualTo(jdkAccepts(tail));
        }
    }

    private static void check(byte[] b) {
        boolean expected = jdkAccepts(b);
        // padded with ASCII on both sides so that the eight-byte loop meets the sequence at every alignment
        for (int pad = 0; pad < 9; pad += 5) {
            byte[] padded = new byte[b.length + 2 * pad];
            java.util.Arrays.fill(padded, (byte) 'x');
            System.arraycopy(b, 0, padded, pad, b.length);
            assertThat(Utf8Validation.isValid(padded, 0, padded.length))
                    .as("%s padded by %d", java.util.HexFormat.ofDelimiter(" ").formatHex(b), pad)
                    .isEqualTo(expected);
        }
    }
}
