/**
 * A test kit for transports and servers: the JSON-RPC 2.0 specification's examples, a contract every transport
 * passes, and helpers for in-memory peers.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.test;

import org.jspecify.annotations.NullMarked;
