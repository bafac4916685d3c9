/**
 * The MCP servers of the MCP benchmark ({@code dev.plumb.bench.pipe.McpBench}): the same {@code tools/call} echo
 * served by Plumb's {@code Mcp} dialect, by the official MCP Java SDK, and (in {@code JacksonLoopServer --mcp}) by a
 * hand-written loop. Results: the "MCP" section of BENCHMARKS.md.
 */
package dev.plumb.bench.mcp;
