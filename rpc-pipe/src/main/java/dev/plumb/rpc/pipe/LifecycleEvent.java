package dev.plumb.rpc.pipe;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A step in a {@link Coprocess}'s life, as {@link RunningCoprocess#events()} reports it.
 *
 * @param type       what happened
 * @param generation which child it concerns: 1 for the first, 2 after the first restart, …
 * @param exitCode   the child's exit code, for {@link Type#EXITED} when known
 * @param detail     a human-readable detail (the pipe's description, the error, the restart delay), never null
 * @param at         when it happened
 */
public record LifecycleEvent(Type type, int generation, OptionalInt exitCode, String detail, Instant at) {

    /** The kinds of lifecycle events. */
    public enum Type {
        /** A child is being started. */
        STARTING,
        /** The child is ready (header read, initialiser done); calls go to it. */
        READY,
        /** The child exited, crashed, or failed to become ready. */
        EXITED,
        /** A new child will be started after the restart delay. */
        RESTARTING,
        /** The coprocess is over: stopped on request, or the restart policy is exhausted. */
        STOPPED
    }

    static LifecycleEvent of(Type type, int generation, String detail) {
        return new LifecycleEvent(type, generation, OptionalInt.empty(), detail, Instant.now());
    }

    static LifecycleEvent exited(int generation, OptionalInt code, String detail) {
        return new LifecycleEvent(Type.EXITED, generation, code, detail, Instant.now());
    }

    @Override
    public String toString() {
        return type + "#" + generation + (exitCode.isPresent() ? "(" + exitCode.getAsInt() + ")" : "")
                + (detail.isEmpty() ? "" : " " + detail);
    }
}
