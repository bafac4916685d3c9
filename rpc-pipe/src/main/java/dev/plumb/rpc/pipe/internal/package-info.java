/**
 * rpc-pipe's implementation; not API, other modules must not use it.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.pipe.internal;

import org.jspecify.annotations.NullMarked;
