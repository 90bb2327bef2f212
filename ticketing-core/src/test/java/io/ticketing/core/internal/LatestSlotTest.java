package io.ticketing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatestSlotTest {
    /** A value that says which version it is and who offered it. */
    private record Value(long version, int producer) {
    }

    private final LatestSlot<Value> slot = new LatestSlot<>(Value::version);

    @Test
    void anEmptySlotHasNothingNewer() {
        assertNull(slot.get());
        assertNull(slot.newerThan(Long.MIN_VALUE));
    }

    @Test
    void onlyAStrictlyNewerValueReplacesTheOneHeld() {
        Value five = new Value(5, 0);
        assertTrue(slot.offer(five));
        assertFalse(slot.offer(new Value(4, 0)), "older");
        assertFalse(slot.offer(new Value(5, 1)), "equal");
        assertSame(five, slot.get());
        Value six = new Value(6, 0);
        assertTrue(slot.offer(six));
        assertSame(six, slot.get());
    }

    @Test
    void aConsumerGetsTheNewestOnceAndNothingAfterIt() {
        slot.offer(new Value(1, 0));
        slot.offer(new Value(2, 0));
        slot.offer(new Value(3, 0));
        Value taken = slot.newerThan(0);
        assertEquals(3, taken.version(), "intermediate values are skipped");
        assertNull(slot.newerThan(taken.version()));
        slot.offer(new Value(2, 1));
        assertNull(slot.newerThan(taken.version()), "an older value offered late never reappears");
    }

    @Test
    void concurrentProducersAndConsumersSeeStrictlyIncreasingVersionsAndEndOnTheNewest() throws Exception {
        int producers = 3;
        int consumers = 2;
        long perProducer = 20_000;
        long newest = producers * perProducer;
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> offering = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                // producer p offers versions p+1, p+1+producers, …: interleaved, each producer in order
                offering.add(pool.submit(() -> {
                    start.await();
                    for (long v = producer + 1; v <= newest; v += producers) {
                        slot.offer(new Value(v, producer));
                    }
                    return null;
                }));
            }
            List<Future<List<Long>>> consuming = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                consuming.add(pool.submit(() -> {
                    start.await();
                    List<Long> seen = new ArrayList<>();
                    long taken = 0;
                    while (taken < newest && !Thread.currentThread().isInterrupted()) {
                        Value next = slot.newerThan(taken);
                        if (next != null) {
                            seen.add(next.version());
                            taken = next.version();
                        }
                    }
                    return seen;
                }));
            }
            start.countDown();
            for (Future<?> f : offering) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(newest, slot.get().version(), "the slot ends on the newest value offered");
            for (Future<List<Long>> f : consuming) {
                List<Long> seen = f.get(30, TimeUnit.SECONDS);
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i) > seen.get(i - 1), "version " + seen.get(i) + " after " + seen.get(i - 1));
                }
                assertEquals(newest, seen.get(seen.size() - 1), "each consumer ends on the newest value");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
