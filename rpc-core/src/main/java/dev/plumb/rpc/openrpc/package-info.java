/**
 * OpenRPC service discovery: {@link dev.plumb.rpc.RpcRouter.Builder#discovery(OpenRpcInfo)} registers
 * {@code rpc.discover}, which answers an OpenRPC 1.3 document generated from the router's methods, with JSON Schemas
 * derived from their Java types through Jackson. {@link OpenRpcMethodDoc} attaches hand-written descriptions,
 * params, results, errors and {@link OpenRpcExample examples} to a method ({@link
 * dev.plumb.rpc.RpcRouter.Builder#describe(String, OpenRpcMethodDoc)}). See {@code docs/openrpc.md}.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.openrpc;

import org.jspecify.annotations.NullMarked;
