/**
 * JSON-RPC 2.0 on Project Reactor: the message model, the codec and framing, {@link dev.plumb.rpc.RpcPeer} (one
 * end of a connection) and {@link dev.plumb.rpc.RpcRouter} (methods, filters, batches).
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc;

import org.jspecify.annotations.NullMarked;
