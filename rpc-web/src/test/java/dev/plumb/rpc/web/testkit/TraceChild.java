package dev.plumb.rpc.web.testkit;

import dev.plumb.rpc.RpcRouter;
import dev.plumb.rpc.RpcTraceContext;
import dev.plumb.rpc.pipe.StdioServer;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/** A stdio child for tests: {@code trace} answers the {@code traceparent} its call came with, or {@code "none"}. */
public final class TraceChild {

    private TraceChild() {
    }

    /** The argv that runs this child in a new JVM with the current classpath. */
    public static List<String> command() {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add("-XX:TieredStopAtLevel=1");
        argv.add("-XX:+UseSerialGC");
        argv.add(TraceChild.class.getName());
        return argv;
    }

    /** Serves {@code trace} on stdin/stdout. */
    public static void main(String[] args) {
        StdioServer.builder()
                .router(RpcRouter.builder()
                        .method("trace", () -> RpcTraceContext.current().map(RpcTraceContext::traceparent)
                                .defaultIfEmpty("none"))
                        .build())
                .serve();
    }
}
