/** Benchmarks of Plumb: JMH micro-benchmarks and load harnesses. Results live in BENCHMARKS.md. */
package dev.plumb.bench;
