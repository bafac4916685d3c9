/**
 * JSON-RPC over pipes and sockets: subprocess peers ({@link dev.plumb.rpc.pipe.PipeTransport},
 * {@link dev.plumb.rpc.pipe.Coprocess}, {@link dev.plumb.rpc.pipe.PipePool}), stdio and TCP servers, and the
 * {@code Civi::pipe}, LSP and MCP dialects.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.pipe;

import org.jspecify.annotations.NullMarked;
