package dev.plumb.bench.pipe;

import dev.plumb.bench.mcp.PlumbMcpServer;
import dev.plumb.bench.mcp.SdkMcpServer;
import java.util.List;
import java.util.Map;

/**
 * The MCP benchmark: {@link PipeBench}'s harness and client driving MCP servers over stdio with {@code tools/call}
 * of an {@code echo} tool, after the MCP handshake ({@code initialize}, {@code notifications/initialized}).
 * Servers: Plumb's {@code Mcp} dialect at its defaults ({@link PlumbMcpServer}), the official MCP Java SDK 2.1.0
 * ({@link SdkMcpServer}: its async server, and its sync server with {@code immediateExecution}), and the strong
 * hand-written Jackson loop answering the same calls ({@code JacksonLoopServer --mcp}).
 *
 * <p>Run: {@code java -cp benchmarks.jar dev.plumb.bench.pipe.McpBench [calls1 callsN rounds [filter]]}; the same
 * properties as {@link PipeBench} ({@code -Dpipebench.windows}, {@code -Dpipebench.warmup}, …). The request, about
 * 150 bytes: {@code {"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","arguments":{"n":N,
 * "text":"x…(80)"}},"id":ID}}; the reply carries the text back as {@code content[0].text}.
 */
public final class McpBench {

    static final String LOOP = "Jackson loop, MCP (strong baseline)";
    static final String PLUMB = "Plumb Mcp dialect, default";
    static final String SDK_ASYNC = "MCP Java SDK 2.1.0, async server";
    static final String SDK_SYNC = "MCP Java SDK 2.1.0, sync server, immediateExecution";

    /** {@code tools/call} of {@code echo}, after MCP's handshake. */
    static final PipeBench.Workload MCP = new PipeBench.Workload("mcp tools/call",
            ascii("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"n\":"),
            ascii(",\"text\":\"" + PipeBench.FILLER + "\"}},\"id\":"), ascii("}"),
            List.of("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcpbench\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));

    private McpBench() {
    }

    /** Runs the MCP servers and prints the table and the ratios. */
    public static void main(String[] args) throws Exception {
        List<String> jvm = PipeBench.serverJvm();
        List<PipeBench.Server> servers = List.of(
                new PipeBench.Server(LOOP, PipeBench.concat(jvm, JacksonLoopServer.class.getName(), "--mcp"), false),
                new PipeBench.Server(PLUMB, PipeBench.concat(jvm, PlumbMcpServer.class.getName()), false),
                new PipeBench.Server(SDK_ASYNC, PipeBench.concat(jvm, SdkMcpServer.class.getName()), false),
                new PipeBench.Server(SDK_SYNC, PipeBench.concat(jvm, SdkMcpServer.class.getName(),
                        "--sync-immediate"), false));
        PipeBench.run(args, servers, MCP, McpBench::printRatios);
    }

    static void printRatios(Map<String, List<PipeBench.Result>> byRow) {
        System.out.println();
        System.out.println("| ratio (from medians) | value | per-round min–max | target |");
        System.out.println("|---|---:|---:|---|");
        for (int w : new int[] {256, 1}) {
            String at = w == 256 ? ", calls/s at window 256" : ", calls/s at window 1";
            PipeBench.ratio(byRow, PLUMB + " / " + SDK_ASYNC + at, PipeBench.key(PLUMB, w), PipeBench.key(SDK_ASYNC, w),
                    PipeBench.Result::callsPerSecond, w == 256 ? "≥ 3×" : "");
            PipeBench.ratio(byRow, PLUMB + " / " + SDK_SYNC + at, PipeBench.key(PLUMB, w), PipeBench.key(SDK_SYNC, w),
                    PipeBench.Result::callsPerSecond, w == 256 ? "≥ 3×" : "");
            PipeBench.ratio(byRow, PLUMB + " / " + LOOP + at, PipeBench.key(PLUMB, w), PipeBench.key(LOOP, w),
                    PipeBench.Result::callsPerSecond, w == 256 ? "≥ 1.0×" : "");
        }
        PipeBench.ratio(byRow, SDK_ASYNC + " / " + PLUMB + ", server CPU per call at window 256",
                PipeBench.key(SDK_ASYNC, 256), PipeBench.key(PLUMB, 256), PipeBench.Result::cpuMicrosPerCall,
                "(load-robust view of ≥ 3×)");
        PipeBench.ratio(byRow, SDK_SYNC + " / " + PLUMB + ", server CPU per call at window 256",
                PipeBench.key(SDK_SYNC, 256), PipeBench.key(PLUMB, 256), PipeBench.Result::cpuMicrosPerCall,
                "(load-robust view of ≥ 3×)");
        PipeBench.ratio(byRow, LOOP + " / " + PLUMB + ", server CPU per call at window 256",
                PipeBench.key(LOOP, 256), PipeBench.key(PLUMB, 256), PipeBench.Result::cpuMicrosPerCall,
                "(load-robust view of ≥ 1.0×)");
        PipeBench.ratio(byRow, PLUMB + " / " + LOOP + ", p50 latency at window 1", PipeBench.key(PLUMB, 1),
                PipeBench.key(LOOP, 1), PipeBench.Result::p50, "(context)");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
