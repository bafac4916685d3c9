package dev.plumb.rpc.pipe;

import dev.plumb.rpc.RpcConnectionClosedException;
import java.util.List;

/**
 * A subprocess pipe closed without being asked to: the child exited (or closed its stdout). Carries the exit code
 * and the last lines the child wrote to stderr, which usually say why.
 */
public class PipeClosedException extends RpcConnectionClosedException {

    /** The exit code reported when the child is still running although its stdout closed. */
    public static final int STILL_RUNNING = Integer.MIN_VALUE;

    private final int exitCode;
    private final List<String> stderrTail;

    /** A closed pipe: {@code description} names it, {@code exitCode} is the child's, {@code stderrTail} its last lines. */
    public PipeClosedException(String description, int exitCode, List<String> stderrTail) {
        super(message(description, exitCode, stderrTail));
        this.exitCode = exitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** The child's exit code, or {@link #STILL_RUNNING} if it closed stdout but had not exited. */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines (about 20) the child wrote to stderr, oldest first. */
    public List<String> stderrTail() {
        return stderrTail;
    }

    private static String message(String description, int exitCode, List<String> tail) {
        StringBuilder sb = new StringBuilder(description);
        if (exitCode == STILL_RUNNING) {
            sb.append(" closed its stdout");
        } else {
            sb.append(" exited with code ").append(exitCode);
        }
        if (!tail.isEmpty()) {
            sb.append("; last stderr lines:");
            for (String line : tail) {
                sb.append("\n  ").append(line);
            }
        }
        return sb.toString();
    }
}
