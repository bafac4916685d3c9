package dev.plumb.rpc.observation;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcClientCall;
import io.micrometer.observation.transport.RequestReplySenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The observation context of one outgoing call: the call, and a carrier of metadata that a tracing handler
 * (Micrometer Tracing's propagating handler) fills with {@code traceparent} and the like, sent with the call.
 */
public final class RpcClientObservationContext extends RequestReplySenderContext<Map<String, String>, RawJson> {

    private final RpcClientCall call;

    /** The context of {@code call}. */
    public RpcClientObservationContext(RpcClientCall call) {
        super((carrier, key, value) -> carrier.put(key, value));
        this.call = call;
        setCarrier(new LinkedHashMap<>());
        setRemoteServiceName("jsonrpc");
    }

    /** The call as the filters saw it when the observation started. */
    public RpcClientCall call() {
        return call;
    }
}
