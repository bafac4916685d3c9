package dev.plumb.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The outbound queue: frames leave in the order they were put, never beyond the transport's demand. */
class OutboxTest {

    /** Collects frames; requests only when told. */
    private static final class Transport implements Subscriber<byte[]> {
        final List<byte[]> frames = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger requested = new AtomicInteger();
        volatile Subscription subscription;
        volatile boolean completed;
        volatile boolean beyondDemand;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(byte[] frame) {
            if (frames.size() >= requested.get()) {
                beyondDemand = true; // asserted by the test's thread: this runs on whichever thread delivers
            }
            frames.add(frame);
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError(t);
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        void request(int n) {
            requested.addAndGet(n);
            subscription.request(n);
        }
    }

    private static byte[] frame(int producer, int n) {
        return ByteBuffer.allocate(8).putInt(producer).putInt(n).array();
    }

    @Test
    void framesFromManyThreadsLeaveInEachThreadsOrderWithinDemand() throws Exception {
        Outbox outbox = new Outbox(64, 1 << 20);
        Transport transport = new Transport();
        outbox.subscribe(transport);
        int producers = 4;
        int each = 20_000;
        CountDownLatch done = new CountDownLatch(producers);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    outbox.put(frame(producer, i));
                }
                done.countDown();
            }, "producer-" + p).start();
        }
        // the transport asks in small, uneven batches from its own thread, sometimes pausing
        java.util.Random random = new java.util.Random(8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (transport.frames.size() < producers * each && System.nanoTime() < deadline) {
            if (transport.requested.get() - transport.frames.size() < 8) {
                transport.request(1 + random.nextInt(16));
            }
            if (random.nextInt(100) == 0) {
                Thread.sleep(1);
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(transport.beyondDemand).as("a frame delivered beyond demand").isFalse();
        int[] next = new int[producers];
        synchronized (transport.frames) {
            for (byte[] f : transport.frames) {
                ByteBuffer b = ByteBuffer.wrap(f);
                int producer = b.getInt();
                assertThat(b.getInt()).isEqualTo(next[producer]++);
            }
        }
        assertThat(next).containsOnly(each);
        assertThat(outbox.queuedFrames()).isZero();
        assertThat(outbox.queuedBytes()).isZero();
    }

    @Test
    void withoutDemandFramesQueueAndLocalSendersWaitInOrderForRoom() {
        Outbox outbox = new Outbox(2, 1 << 20);
        Transport transport = new Transport();
        outbox.subscribe(transport);
        List<Integer> admitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            outbox.whenRoom(() -> {
                admitted.add(n);
                outbox.put(frame(0, n));
            }, e -> {
                throw new AssertionError(e);
            });
        }
        assertThat(admitted).containsExactly(0, 1);
        assertThat(outbox.queuedFrames()).isEqualTo(2);
        assertThat(outbox.waitingSenders()).isEqualTo(3);
        transport.request(1);
        assertThat(transport.frames).hasSize(1);
        assertThat(admitted).containsExactly(0, 1, 2);
        transport.request(10);
        assertThat(admitted).containsExactly(0, 1, 2, 3, 4);
        assertThat(transport.frames).hasSize(5);
        assertThat(outbox.queuedFrames()).isZero();
        // with demand left over, a frame goes straight through
        outbox.put(frame(0, 5));
        assertThat(transport.frames).hasSize(6);
        assertThat(outbox.queuedFrames()).isZero();
        assertThat(transport.beyondDemand).isFalse();
    }

    @Test
    void completingDeliversWhatIsQueuedThenRefusesWaitingSenders() {
        Outbox outbox = new Outbox(1, 1 << 20);
        Transport transport = new Transport();
        outbox.subscribe(transport);
        outbox.put(frame(0, 0));
        List<Throwable> refused = new ArrayList<>();
        outbox.whenRoom(() -> outbox.put(frame(0, 1)), refused::add);
        IllegalStateException reason = new IllegalStateException("closing");
        outbox.complete(reason);
        assertThat(refused).containsExactly(reason);
        assertThat(transport.completed).isFalse();
        transport.request(5);
        assertThat(transport.frames).hasSize(1);
        assertThat(transport.completed).isTrue();
    }
}
