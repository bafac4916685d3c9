package dev.plumb.coworker;

import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code coworker debug}: {@code run} with coworker's debug overrides — one worker, a fresh pipe for every batch
 * ({@code workerRequests=1}), debug logging. The overrides sit above config files and environment and below
 * {@code -d} and explicit flags.
 */
@Command(name = "debug", mixinStandardHelpOptions = true,
        description = "Run the worker with debug overrides: workerCount=1, workerRequests=1, logLevel=debug.")
public final class DebugCommand extends RunCommand {

    @Override
    protected List<String> overrides() {
        return List.of("workerCount=1", "workerRequests=1", "logLevel=debug");
    }
}
