package io.ticketing.core.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.CapturedLog;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalFanoutTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private final LocalFanout fanout = new LocalFanout(2, "test-fanout");

    @AfterEach
    void close() {
        fanout.close();
    }

    private static EventStatistics v(long eventId, long version) {
        return new EventStatistics(eventId, version, EventStatus.AVAILABLE, 1, 1, 0, 0, List.of(), null, Instant.EPOCH);
    }

    @Test
    void anOlderSnapshotAfterANewerOneIsDropped() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        fanout.subscribe(1, s -> seen.add(s.version()));
        fanout.deliver(v(1, 5));
        Await.until(() -> seen.contains(5L), "v5");
        fanout.deliver(v(1, 4));
        fanout.deliver(v(1, 5));
        fanout.deliver(v(1, 6));
        Await.until(() -> seen.contains(6L), "v6");
        assertEquals(List.of(5L, 6L), seen);
    }

    /**
     * Subscribes to event 1 a listener that records versions in {@code seen} and, in its first call (v1,
     * delivered here), waits for the returned latch.
     */
    private CountDownLatch blockedInFirstCall(List<Long> seen) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        fanout.subscribe(1, s -> {
            if (entered.getCount() > 0) {
                entered.countDown();
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            seen.add(s.version());
        });
        fanout.deliver(v(1, 1));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void aBlockedListenerThenGetsEverySnapshotThatWaitedInVersionOrder() throws InterruptedException {
        List<Long> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = blockedInFirstCall(seen);
        for (long version = 2; version <= 100; version += 2) { // each pair arrives out of order
            fanout.deliver(v(1, version + 1));
            fanout.deliver(v(1, version));
        }
        fanout.deliver(v(1, 50)); // already waiting: handed over once
        release.countDown();
        Await.until(() -> seen.contains(101L), "v101");
        assertEquals(LongStream.rangeClosed(1, 101).boxed().toList(), seen);
    }

    @Test
    void seatChangesArriveWithTheirOwnSnapshot() {
        List<String> seen = new CopyOnWriteArrayList<>();
        fanout.subscribe(1, new StatisticsListener() {
            @Override
            public void onStatistics(EventStatistics statistics) {
                throw new AssertionError("onUpdate is called");
            }

            @Override
            public void onUpdate(EventStatistics statistics, List<SeatChange> seatChanges) {
                seen.add(statistics.version() + ":" + (seatChanges == null ? "?" : seatChanges.get(0).seat()));
            }
        });
        for (int version = 1; version <= 20; version++) {
            fanout.deliver(v(1, version), List.of(new SeatChange("A", 1, 1, version, SeatStatus.RESERVED)));
        }
        fanout.deliver(v(1, 21));
        Await.until(() -> seen.size() == 21, "21 updates");
        assertEquals(IntStream.rangeClosed(1, 20).mapToObj(i -> i + ":" + i).toList(), seen.subList(0, 20));
        assertEquals("21:?", seen.get(20));
    }

    @Test
    void beyondMaxWaitingTheOlderSnapshotsAreDroppedAndTheNewestArrives() throws InterruptedException {
        List<Long> seen = new CopyOnWriteArrayList<>();
        CountDownLatch release = blockedInFirstCall(seen);
        long newest = 1 + 3L * LocalFanout.MAX_WAITING;
        for (long version = 2; version <= newest; version++) {
            fanout.deliver(v(1, version));
        }
        release.countDown();
        Await.until(() -> seen.contains(newest), "the newest");
        assertTrue(seen.size() <= 1 + LocalFanout.MAX_WAITING, "at most MAX_WAITING waited: " + seen.size());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "strictly increasing versions");
        }
    }

    @Test
    void noSnapshotIsLeftWaitingWhenPublishersRaceTheDrains() throws InterruptedException {
        int events = 4;
        long last = 20_000;
        AtomicLong[] newest = new AtomicLong[events];
        AtomicLong disorder = new AtomicLong();
        for (int e = 0; e < events; e++) {
            AtomicLong seen = newest[e] = new AtomicLong();
            fanout.subscribe(e, s -> {
                if (s.version() <= seen.getAndSet(s.version())) {
                    disorder.incrementAndGet();
                }
            });
        }
        Thread[] publishers = new Thread[events];
        for (int e = 0; e < events; e++) {
            long eventId = e;
            publishers[e] = new Thread(() -> {
                for (long version = 1; version <= last; version++) {
                    fanout.deliver(v(eventId, version));
                    if (version % 1_000 == 0) {
                        Thread.yield(); // let the drains empty the stack now and then: each refill must wake one
                    }
                }
            });
            publishers[e].start();
        }
        for (Thread publisher : publishers) {
            publisher.join();
        }
        for (int e = 0; e < events; e++) {
            AtomicLong seen = newest[e];
            Await.until(() -> seen.get() == last, "event's last version handed over");
        }
        assertEquals(0, disorder.get(), "versions strictly increase per event");
    }

    @Test
    void aBusyEventDoesNotHoldUpAnotherOnOneThread() throws InterruptedException {
        try (LocalFanout one = new LocalFanout(1, "test-one")) {
            AtomicLong busy = new AtomicLong();
            List<Long> quiet = new CopyOnWriteArrayList<>();
            one.subscribe(1, s -> busy.set(s.version()));
            one.subscribe(2, s -> quiet.add(s.version()));
            Thread publisher = new Thread(() -> {
                for (long version = 1; version <= 2_000_000 && !Thread.currentThread().isInterrupted(); version++) {
                    one.deliver(v(1, version));
                }
            });
            publisher.start();
            try {
                Await.until(() -> busy.get() > 0, "the busy event delivered");
                one.deliver(v(2, 1));
                Await.until(() -> quiet.contains(1L), "the quiet event delivered while the other is busy");
            } finally {
                publisher.interrupt();
                publisher.join();
            }
        }
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        fanout.subscribe(1, s -> {
            throw new IllegalStateException("boom");
        });
        fanout.subscribe(1, s -> seen.add(s.version()));
        fanout.deliver(v(1, 1));
        fanout.deliver(v(1, 2));
        Await.until(() -> seen.contains(2L), "v2");
        Await.until(() -> log.text().contains("Statistics listener for event 1 failed"), "the failure logged");
    }

    @Test
    void eventsAreIndependentAndClosedSubscriptionsStopReceiving() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription one = fanout.subscribe(1, s -> seen.add("1:" + s.version()));
        fanout.subscribe(2, s -> seen.add("2:" + s.version()));
        assertEquals(Set.of(1L, 2L), fanout.subscribedEvents());
        fanout.deliver(v(1, 1));
        fanout.deliver(v(2, 1));
        Await.until(() -> seen.size() == 2, "both events");
        one.close();
        one.close();
        assertEquals(Set.of(2L), fanout.subscribedEvents());
        fanout.deliver(v(1, 2));
        fanout.deliver(v(2, 2));
        Await.until(() -> seen.contains("2:2"), "event 2");
        assertTrue(!seen.contains("1:2"));
        fanout.deliver(v(3, 1)); // nobody listens: dropped, no error
    }
}
