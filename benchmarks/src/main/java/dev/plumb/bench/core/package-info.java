/**
 * JMH benchmarks of rpc-core (codec, router, in-memory peers) beside LSP4J's {@code MessageJsonHandler}, and two
 * CPU-time cross-checks for a busy machine. Results and how to run them: the "Core codec" section of BENCHMARKS.md.
 */
package dev.plumb.bench.core;
