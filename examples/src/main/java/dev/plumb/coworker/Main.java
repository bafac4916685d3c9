package dev.plumb.coworker;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code coworker}: the backpressured task-claiming worker for CiviCRM queues ({@code run}, {@code debug}), its
 * embedded demo queue ({@code demo-queue}), the specification's example server ({@code spec-server}) and a
 * one-call tool ({@code call}).
 */
@Command(name = "coworker", mixinStandardHelpOptions = true, version = "coworker 0.1.0 (Plumb)",
        description = "Claims and runs CiviCRM queue tasks over Civi::pipe or JSON-RPC over HTTP.",
        subcommands = {RunCommand.class, DebugCommand.class, DemoQueueCommand.class, SpecServerCommand.class,
                CallCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs coworker with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs coworker with {@code args} and returns its exit code (0 on a normal stop). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
