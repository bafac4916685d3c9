/**
 * Micrometer Observation for Plumb: one observation per call on both sides ({@link
 * dev.plumb.rpc.observation.RpcObservation}), gauges of a peer ({@link dev.plumb.rpc.observation.RpcPeerGauges}),
 * and the trace context carried with the call's metadata. Micrometer is an optional dependency of {@code rpc-core}:
 * only this package uses it, so the rest runs without it. See {@code docs/observability.md}.
 */
@NullMarked
package dev.plumb.rpc.observation;

import org.jspecify.annotations.NullMarked;
