package dev.plumb.rpc.pipe.internal;

import dev.plumb.rpc.Framing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Writes frames from a publisher to a blocking {@link OutputStream} on its own daemon thread. Requests frames in
 * small batches (at most {@value #WINDOW} outstanding), so a child that stops reading stops the producer; flushes
 * whenever it has nothing more to write. Closing (or the publisher completing) closes the stream, which a child
 * sees as EOF on stdin.
 *
 * <p>One thread may be allowed to write directly ({@link #allowDirectWritesFrom(Thread)}): a frame produced on it
 * while nothing is queued is written there and then, saving a thread hand-off; that thread must call
 * {@link #flushDirect()} before it blocks. Only for a dedicated thread that may block (a stdio server's reader).
 */
public final class OutboundFrames implements CoreSubscriber<byte[]>, Runnable {

    /** Frames requested ahead of writing. */
    public static final int WINDOW = 64;

    private final java.util.concurrent.atomic.AtomicBoolean attached = new java.util.concurrent.atomic.AtomicBoolean();
    private static final int REPLENISH = WINDOW / 2;
    private static final Object END = new Object();

    private final OutputStream out;
    private final Framing framing;
    private final Logger log;
    private final Runnable onOrderlyClose;
    private final Thread thread;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger written = new AtomicInteger();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Sinks.Empty<Void> done = Sinks.empty();
    private volatile Subscription subscription;
    private volatile boolean closed;
    private volatile boolean closedByOwner;
    private volatile Thread directWriter;
    private boolean directDirty;
    private volatile Supplier<String> prefix;
    private String lastPrefix;
    private byte[] lastPrefixBytes;

    /** A writer to {@code out}; {@code onOrderlyClose} runs when the publisher completed and all was written. */
    public OutboundFrames(OutputStream out, Framing framing, Logger log, Runnable onOrderlyClose, String threadName) {
        this.out = out;
        this.framing = framing;
        this.log = log;
        this.onOrderlyClose = onOrderlyClose;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the writing thread (it waits for frames). */
    public void start() {
        thread.start();
    }

    /** Lets {@code writer} write frames it produces directly when nothing is queued (see the class comment). */
    public void allowDirectWritesFrom(Thread writer) {
        this.directWriter = writer;
    }

    /**
     * Writes {@code prefix.get()} (UTF-8; nothing when null or empty) before every frame, read as the frame is
     * written: how a server honours a client's {@code responsePrefix}. Set before the first frame.
     */
    public void prefixEachFrame(Supplier<String> prefix) {
        this.prefix = prefix;
    }

    /** Writes one frame (with the prefix, if any); the write lock is held. */
    private void writeFrame(byte[] frame) throws IOException {
        Supplier<String> p = prefix;
        if (p != null) {
            String value = p.get();
            if (value != null && !value.isEmpty()) {
                if (!value.equals(lastPrefix)) {
                    lastPrefix = value;
                    lastPrefixBytes = value.getBytes(StandardCharsets.UTF_8);
                }
                out.write(lastPrefixBytes);
            }
        }
        framing.writeFrame(frame, out);
    }

    /** Flushes what the direct writer wrote; called by that thread before it blocks. */
    public void flushDirect() {
        if (!directDirty) {
            return;
        }
        writeLock.lock();
        try {
            directDirty = false;
            out.flush();
        } catch (IOException e) {
            broken(e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Subscribes to {@code frames}, the connection's one outbound publisher; a second call fails. Completes with
     * {@link #done()}. {@code description} names the connection in the error.
     */
    public Mono<Void> attach(org.reactivestreams.Publisher<byte[]> frames, String description) {
        if (!attached.compareAndSet(false, true)) {
            return Mono.error(new IllegalStateException(description + ": send may be called only once"));
        }
        reactor.core.publisher.Flux.from(frames).subscribe(this);
        return done();
    }

    /** Completes when the stream is closed, whether all frames were written or the pipe broke. */
    public Mono<Void> done() {
        return done.asMono();
    }

    /** Stops taking frames and closes the stream after those already queued. */
    public void close() {
        closedByOwner = true;
        stopTaking();
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
            return;
        }
        s.request(WINDOW);
    }

    @Override
    public void onNext(byte[] frame) {
        if (Thread.currentThread() == directWriter && queued.get() == 0 && writeLock.tryLock()) {
            try {
                if (queued.get() == 0 && !closed) {
                    writeFrame(frame);
                    directDirty = true;
                    afterWrite();
                    return;
                }
            } catch (IOException e) {
                broken(e);
                return;
            } finally {
                writeLock.unlock();
            }
        }
        queued.incrementAndGet();
        queue.offer(frame);
    }

    @Override
    public void onError(Throwable t) {
        log.warn("outbound frames failed; closing stdin", t);
        queue.offer(END);
    }

    @Override
    public void onComplete() {
        queue.offer(END);
    }

    private void afterWrite() {
        if (written.incrementAndGet() % REPLENISH == 0) {
            Subscription s = subscription;
            if (s != null && !closed) {
                s.request(REPLENISH);
            }
        }
    }

    private void broken(IOException e) {
        log.debug("output broke: {}", e.toString());
        stopTaking();
    }

    /** Takes no more frames and lets the writer end after what is queued. */
    private void stopTaking() {
        closed = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        queue.offer(END);
    }

    @Override
    public void run() {
        boolean orderly = false;
        try {
            while (true) {
                Object next = queue.poll();
                if (next == null) {
                    flushLocked();
                    next = queue.take();
                }
                if (next == END) {
                    flushLocked();
                    orderly = !closed || closedByOwner;
                    break;
                }
                writeLock.lock();
                try {
                    writeFrame((byte[]) next);
                } finally {
                    writeLock.unlock();
                }
                queued.decrementAndGet();
                afterWrite();
            }
        } catch (IOException e) {
            log.debug("output broke: {}", e.toString());
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            writeLock.lock();
            try {
                out.close();
            } catch (IOException ignored) {
                // the other side has gone
            } finally {
                writeLock.unlock();
            }
            queue.clear();
            if (orderly && !closedByOwner) {
                onOrderlyClose.run();
            }
            done.tryEmitEmpty();
        }
    }

    private void flushLocked() throws IOException {
        writeLock.lock();
        try {
            directDirty = false;
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }
}
