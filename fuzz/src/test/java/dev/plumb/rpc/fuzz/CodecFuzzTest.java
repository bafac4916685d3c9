package dev.plumb.rpc.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.plumb.rpc.RpcBatch;
import dev.plumb.rpc.RpcCodec;
import dev.plumb.rpc.RpcInvalid;
import dev.plumb.rpc.RpcNotification;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcRequest;
import dev.plumb.rpc.RpcResponse;

/**
 * The envelope reader behind {@link RpcCodec#decode} on any bytes: it never throws; what it reads as a message
 * encodes and reads back as the same message; what it refuses carries -32700 or -32600 and no Java name.
 */
class CodecFuzzTest {

    private static final RpcCodec CODEC = RpcCodec.defaults();

    @FuzzTest(maxDuration = "5m") // how long -Pfuzz and campaign.sh fuzz it at a time
    void decodedMessagesRoundTripAndRefusalsAreSpecificationErrors(byte[] input) {
        RpcPacket packet = CODEC.decode(input);
        check(input, packet);
    }

    private static void check(byte[] input, RpcPacket packet) {
        if (packet instanceof RpcBatch batch) {
            assertThat(batch.members()).isNotEmpty();
            for (RpcPacket member : batch.members()) {
                assertThat(member).isNotInstanceOf(RpcBatch.class);
                check(input, member);
            }
        } else if (packet instanceof RpcRequest r) {
            RpcPacket again = CODEC.decode(CODEC.encodeRequest(r.id(), r.method(), r.params()));
            assertThat(again).isInstanceOf(RpcRequest.class);
            RpcRequest back = (RpcRequest) again;
            assertThat(back.method()).isEqualTo(r.method());
            assertThat(back.id()).isEqualTo(r.id());
            assertThat(back.params()).isEqualTo(r.params());
        } else if (packet instanceof RpcNotification n) {
            RpcPacket again = CODEC.decode(CODEC.encodeNotification(n.method(), n.params()));
            assertThat(again).isInstanceOf(RpcNotification.class);
            assertThat(((RpcNotification) again).method()).isEqualTo(n.method());
            assertThat(((RpcNotification) again).params()).isEqualTo(n.params());
        } else if (packet instanceof RpcResponse r) {
            byte[] encoded = r.isError() ? CODEC.encodeError(r.id(), r.error()) : CODEC.encodeResult(r.id(), r.result());
            RpcPacket again = CODEC.decode(encoded);
            assertThat(again).isInstanceOf(RpcResponse.class);
            assertThat(((RpcResponse) again).id()).isEqualTo(r.id());
            assertThat(((RpcResponse) again).isError()).isEqualTo(r.isError());
        } else {
            RpcInvalid v = (RpcInvalid) packet;
            assertThat(v.error().code()).isIn(-32700, -32600);
            ReplyCheck.reply(input, CODEC.encodeError(v.id(), v.error()));
        }
    }
}
