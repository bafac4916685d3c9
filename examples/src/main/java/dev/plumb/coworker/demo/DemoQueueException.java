package dev.plumb.coworker.demo;

/** A failure of the demo queue's database or of a request it cannot serve (unknown queue, bad item). */
public class DemoQueueException extends RuntimeException {

    /** An error with a message for the caller. */
    public DemoQueueException(String message) {
        super(message);
    }

    /** An error with a message and its cause. */
    public DemoQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
