package dev.plumb.rpc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Newline-delimited framing on any bytes, in any read sizes: the frames are those of a plain model of the
 * documented rule (one frame per line, a {@code \r} before the newline stripped, blank lines ignored, a line over
 * the limit reported as {@link RpcConnection#OVERSIZED_FRAME} whatever it holds, a final unterminated line kept),
 * the same whether the bytes come in one read or many, and nothing is thrown.
 */
class LineFramingFuzzTest {

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void framesMatchTheModelInAnyReadSizes(FuzzedDataProvider data) {
        int max = data.consumeInt(1, 96);
        Chunks chunks = Chunks.from(data);
        byte[] bytes = data.consumeRemainingAsBytes();
        Framing framing = Framing.newlineDelimited(max);

        List<byte[]> expected = model(bytes, max);
        Chunks.assertSame("one read", expected, Chunks.whole(framing.newDecoder(), bytes));
        Chunks.assertSame("many reads", expected, chunks.decode(framing.newDecoder(), bytes));
    }

    /** The rule as documented, written the plain way. */
    static List<byte[]> model(byte[] bytes, int max) {
        List<byte[]> frames = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            boolean eol = i < bytes.length && bytes[i] == '\n';
            boolean last = i == bytes.length && start < bytes.length;
            if (!eol && !last) {
                continue;
            }
            byte[] line = Arrays.copyOfRange(bytes, start, i);
            if (line.length > 0 && line[line.length - 1] == '\r') {
                line = Arrays.copyOf(line, line.length - 1);
            }
            if (line.length > max) {
                frames.add(RpcConnection.OVERSIZED_FRAME);
            } else if (!blank(line)) {
                frames.add(line);
            }
            start = i + 1;
        }
        return frames;
    }

    private static boolean blank(byte[] line) {
        for (byte c : line) {
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
