package dev.plumb.rpc;

import java.util.List;

/**
 * A non-empty JSON array of messages. Each member is a {@link RpcMessage} or, where a member was not valid, an
 * {@link RpcInvalid} at its place. An empty array is not a batch: it decodes to an {@link RpcInvalid}.
 *
 * @param members the members in the order received
 */
public record RpcBatch(List<RpcPacket> members) implements RpcPacket {
    /** Copies the member list. */
    public RpcBatch {
        members = List.copyOf(members);
    }
}
