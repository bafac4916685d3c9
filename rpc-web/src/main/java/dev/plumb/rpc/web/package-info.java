/**
 * JSON-RPC over HTTP and WebSocket: a reactor-netty server and clients, routes to mount in another server,
 * and the WebFlux adapter.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.web;

import org.jspecify.annotations.NullMarked;
