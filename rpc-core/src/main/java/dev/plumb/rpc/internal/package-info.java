/**
 * rpc-core's implementation; not API, other modules must not use it (checked by {@code ModuleBoundariesTest}).
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.internal;

import org.jspecify.annotations.NullMarked;
