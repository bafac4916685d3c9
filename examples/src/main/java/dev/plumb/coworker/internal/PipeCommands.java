package dev.plumb.coworker.internal;

import dev.plumb.rpc.pipe.PipeTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How coworker starts a pipe command: {@code sh -c CMD} with {@code COWORKER_PIPE=1} in its environment, in its
 * own session ({@code setsid}, where available) so that a terminal's Ctrl-C reaches coworker alone, which then
 * stops its pipes gracefully.
 */
public final class PipeCommands {

    private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));

    private PipeCommands() {
    }

    /** The transport for shell command {@code command}; {@code name} names its logger ({@code dev.plumb.rpc.pipe.NAME}). */
    public static PipeTransport transport(String command, String name) {
        List<String> argv = SETSID ? List.of("setsid", "sh", "-c", command) : List.of("sh", "-c", command);
        return PipeTransport.command(argv).environment("COWORKER_PIPE", "1").name(name);
    }
}
