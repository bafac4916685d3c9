package dev.plumb.rpc;

/**
 * The verdict on a frame (or batch member) that is not a valid message, with the error a server answers it with.
 *
 * @param id               the id when it could be read, else the {@link RpcId#NULL null id}
 * @param error            -32700 for unparsable JSON, -32600 for a value that is not a valid request
 * @param looksLikeResponse whether the value had {@code result} or {@code error} and no {@code method}: a broken
 *                         response, which a peer logs instead of answering (answers to answers could loop forever)
 */
public record RpcInvalid(RpcId id, RpcError error, boolean looksLikeResponse) implements RpcPacket {
}
