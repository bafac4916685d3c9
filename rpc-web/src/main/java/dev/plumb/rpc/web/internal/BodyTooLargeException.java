package dev.plumb.rpc.web.internal;

/** A request body went over the limit while it was being read; it answers {@code 413}. */
public final class BodyTooLargeException extends RuntimeException {

    /** Over {@code limit} bytes. */
    public BodyTooLargeException(long limit) {
        super("request body exceeds " + limit + " bytes", null, false, false);
    }
}
