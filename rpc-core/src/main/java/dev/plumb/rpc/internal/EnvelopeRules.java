package dev.plumb.rpc.internal;

import dev.plumb.rpc.RawJson;
import dev.plumb.rpc.RpcError;
import dev.plumb.rpc.RpcId;
import dev.plumb.rpc.RpcInvalid;
import dev.plumb.rpc.RpcNotification;
import dev.plumb.rpc.RpcPacket;
import dev.plumb.rpc.RpcRequest;
import dev.plumb.rpc.RpcResponse;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What one JSON-RPC object is, from the members it had: the rules of {@code docs/conformance.md} that both
 * {@link EnvelopeScanner} and {@link EnvelopeReader} apply once they have read an object's members.
 */
final class EnvelopeRules {

    static final int F_JSONRPC = 1;
    static final int F_ID = 2;
    static final int F_METHOD = 4;
    static final int F_PARAMS = 8;
    static final int F_RESULT = 16;
    static final int F_ERROR = 32;
    /** The metadata member ({@code RpcMetadata.MEMBER}): read, but not one of the envelope's own members. */
    static final int F_META = 64;

    static final RpcInvalid PARSE_ERROR = new RpcInvalid(RpcId.NULL, RpcError.parseError(), false);
    static final RpcInvalid INVALID = new RpcInvalid(RpcId.NULL, RpcError.invalidRequest(), false);

    private EnvelopeRules() {
    }

    /**
     * The packet of an object whose members were {@code seen} (a set of the flags above); {@code bad} when one
     * was given twice or had the wrong type, {@code badId} when the id was not an id; {@code errorObject} reads
     * an {@code error} member into an {@link RpcError}, or {@code null} when it is not one.
     */
    static RpcPacket packet(int seen, boolean bad, boolean badId, RpcId id, String method, RawJson params,
            RawJson result, RawJson error, java.util.@Nullable Map<String, String> metadata,
            Function<RawJson, RpcError> errorObject) {
        RpcId replyId = (id == null || badId) ? RpcId.NULL : id;
        boolean isResponse = (seen & F_METHOD) == 0 && (seen & (F_RESULT | F_ERROR)) != 0;
        if (isResponse) {
            boolean both = (seen & F_RESULT) != 0 && (seen & F_ERROR) != 0;
            if (bad || badId || both || (seen & F_JSONRPC) == 0) {
                return new RpcInvalid(replyId, RpcError.invalidRequest(), true);
            }
            // A response without an id is read as answering the null id (Civi::pipe omits it on protocol errors).
            if (result != null) {
                return RpcResponse.success(replyId, result);
            }
            RpcError e = errorObject.apply(error);
            return e == null ? new RpcInvalid(replyId, RpcError.invalidRequest(), true) : RpcResponse.failure(replyId, e);
        }
        if (bad || badId || (seen & F_JSONRPC) == 0 || method == null || (seen & (F_RESULT | F_ERROR)) != 0) {
            return new RpcInvalid(replyId, RpcError.invalidRequest(), false);
        }
        return (seen & F_ID) != 0 ? new RpcRequest(id, method, params, metadata)
                : new RpcNotification(method, params, metadata);
    }
}
