package dev.plumb.rpc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.FrameDecoder;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.RpcConnection;
import dev.plumb.rpc.RpcProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Content-Length} framing: on any bytes, the frames (or the {@link RpcProtocolException} for a header it
 * cannot resynchronise from, the only exception allowed) are the same in one read or many, and no frame exceeds the
 * limit; frames written with {@link Framing#writeFrame} read back unchanged (an empty one is skipped, one over the
 * limit comes back as {@link RpcConnection#OVERSIZED_FRAME}).
 */
class ContentLengthFramingFuzzTest {

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void sameFramesInAnyReadSizesAndWrittenFramesReadBack(FuzzedDataProvider data) throws IOException {
        int max = data.consumeInt(1, 96);
        Chunks chunks = Chunks.from(data);
        boolean raw = data.consumeBoolean();
        Framing framing = Framing.contentLength(max);
        if (raw) {
            byte[] bytes = data.consumeRemainingAsBytes();
            String whole = outcome(() -> Chunks.whole(framing.newDecoder(), bytes));
            String many = outcome(() -> chunks.decode(framing.newDecoder(), bytes));
            if (!many.equals(whole)) {
                throw new AssertionError("many reads: expected " + whole + " but was " + many);
            }
            return;
        }
        List<byte[]> written = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (data.remainingBytes() > 0) {
            byte[] frame = data.consumeBytes(data.consumeInt(0, 128));
            written.add(frame);
            framing.writeFrame(frame, out);
        }
        List<byte[]> expected = new ArrayList<>();
        for (byte[] f : written) {
            if (f.length > max) {
                expected.add(RpcConnection.OVERSIZED_FRAME);
            } else if (f.length > 0) {
                expected.add(f);
            }
        }
        FrameDecoder decoder = framing.newDecoder();
        Chunks.assertSame("written frames read back", expected, chunks.decode(decoder, out.toByteArray()));
    }

    private static String outcome(java.util.function.Supplier<List<byte[]>> decode) {
        try {
            List<byte[]> frames = decode.get();
            StringBuilder b = new StringBuilder();
            for (byte[] f : frames) {
                b.append(f == RpcConnection.OVERSIZED_FRAME ? "<oversized>" : java.util.Arrays.toString(f)).append('|');
            }
            return b.toString();
        } catch (RpcProtocolException e) {
            return "protocol error: " + e.getMessage();
        }
    }
}
