/**
 * The Spring Boot starter: auto-configuration of a router, the HTTP and WebSocket endpoints and their security.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.spring;

import org.jspecify.annotations.NullMarked;
