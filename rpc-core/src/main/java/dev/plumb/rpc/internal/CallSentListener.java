package dev.plumb.rpc.internal;

/**
 * Told when a call's request frame goes to the transport, after any wait for a slot or for room in the outbound
 * queue: what separates a call's time queued from its time running. Found in the Reactor context of the call's
 * subscriber under this class (the observation filter puts it there).
 */
@FunctionalInterface
public interface CallSentListener {

    /** The request went out. */
    void sent();
}
