package dev.plumb.coworker.demo;

import dev.plumb.coworker.DemoQueueCommand;
import dev.plumb.coworker.internal.PrefixingOutputStream;
import dev.plumb.rpc.Framing;
import dev.plumb.rpc.pipe.StdioServer;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo queue as a pipe, started many times per demo run: the same peer as {@code coworker demo-queue --db FILE}
 * on stdio, without the command-line framework and with nothing on the way to the welcome header that a pipe
 * does not need. Arguments: {@code --db FILE [--refuse-login ID[,ID…]]}. Exit code 2 on bad arguments.
 */
public final class DemoPipe {

    private DemoPipe() {
    }

    /** Serves the demo queue on stdin/stdout until EOF. */
    public static void main(String[] args) {
        System.setProperty(dev.plumb.coworker.internal.StderrLogConfigurator.PIPE_PROPERTY, "true");
        Path db = null;
        List<Long> refuse = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--db":
                        db = Path.of(args[++i]);
                        break;
                    case "--refuse-login":
                        for (String id : args[++i].split(",")) {
                            refuse.add(Long.parseLong(id.trim()));
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (db == null) {
                throw new IllegalArgumentException("--db FILE is required");
            }
        } catch (RuntimeException e) {
            System.err.println("demo pipe: " + e.getMessage()
                    + " (usage: DemoPipe --db FILE [--refuse-login ID,...])");
            System.exit(2);
            return;
        }
        serve(db, refuse);
        System.exit(0);
    }

    /** Serves the queue in {@code db} on this process's stdio until EOF, as {@code demo-queue --db} does. */
    public static void serve(Path db, List<Long> refuseLogins) {
        // stdout is the protocol: keep a private handle on it and send every stray print to stderr
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        try (DemoQueueStore store = DemoQueueStore.open(db);
             DemoQueueService service = DemoQueueService.forPipe(store).refuseLogins(refuseLogins)) {
            StdioServer.create().router(service.router()).welcomeHeader(DemoQueueCommand.WELCOME_HEADER)
                    .framing(Framing.newlineDelimited(524288))
                    .streams(System.in, new PrefixingOutputStream(protocolOut,
                            () -> (String) service.options().get("responsePrefix")))
                    .serve();
            protocolOut.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
