package dev.plumb.rpc.pipe.testkit;

import dev.plumb.rpc.pipe.StdioServer;
import dev.plumb.rpc.test.TransportContract;
import java.util.List;

/** A child JVM serving {@link TransportContract#serverRouter()} on stdin/stdout, for the contract over a pipe. */
public final class ContractServer {

    private ContractServer() {
    }

    /** The argv that runs this server in a new JVM with the current classpath. */
    public static List<String> command() {
        return ChildJvm.command(ContractServer.class, List.of());
    }

    /** Serves the contract's router until stdin ends. */
    public static void main(String[] args) {
        StdioServer.serve(TransportContract.serverRouter());
    }
}
