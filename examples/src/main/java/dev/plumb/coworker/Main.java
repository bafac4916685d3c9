package dev.plumb.coworker;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code coworker}: the backpressured task-claiming worker for CiviCRM queues ({@code run}, {@code debug}), its
 * embedded demo queue ({@code demo-queue}), the specification's example server ({@code spec-server}) and a
 * one-call tool ({@code call}).
 */
@Command(name = "coworker", mixinStandardHelpOptions = true, version = "coworker 0.1.0 (Plumb)",
        description = "Claims and runs CiviCRM queue tasks over Civi::pipe or JSON-RPC over HTTP.")
public final class Main implements Runnable {

    /**
     * The subcommands. Only the one named first on the command line is given to picocli (building the model of
     * every command by reflection costs a pipe or a one-shot {@code call} about 0.3 s of CPU); without one, or
     * for {@code help}, all are.
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("debug", DebugCommand.class);
        SUBCOMMANDS.put("demo-queue", DemoQueueCommand.class);
        SUBCOMMANDS.put("spec-server", SpecServerCommand.class);
        SUBCOMMANDS.put("call", CallCommand.class);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs coworker with {@code args} and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs coworker with {@code args} and returns its exit code (0 on a normal stop). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else {
            SUBCOMMANDS.forEach(cl::addSubcommand);
            cl.addSubcommand("help", CommandLine.HelpCommand.class);
        }
        return cl.setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
