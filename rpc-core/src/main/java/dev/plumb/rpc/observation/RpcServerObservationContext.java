package dev.plumb.rpc.observation;

import dev.plumb.rpc.RpcCall;
import dev.plumb.rpc.RpcReply;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import java.util.Map;

/**
 * The observation context of one inbound call: the call, and its metadata as the carrier a tracing handler reads
 * the caller's trace context ({@code traceparent}) from.
 */
public final class RpcServerObservationContext extends RequestReplyReceiverContext<Map<String, String>, RpcReply> {

    private final RpcCall call;

    /** The context of {@code call}, which came with {@code metadata}. */
    public RpcServerObservationContext(RpcCall call, Map<String, String> metadata) {
        super((carrier, key) -> carrier.get(key));
        this.call = call;
        setCarrier(metadata);
    }

    /** The call. */
    public RpcCall call() {
        return call;
    }
}
