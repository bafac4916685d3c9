/**
 * The starter's implementation; not API.
 *
 * <p>Null-marked: nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package dev.plumb.rpc.spring.internal;

import org.jspecify.annotations.NullMarked;
