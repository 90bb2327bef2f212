package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PendingSnapshotsTest {

    static SnapshotUpdate snapshot(long eventId, long version) {
        return new SnapshotUpdate(new EventStatistics(eventId, version, EventStatus.AVAILABLE, 10, 10, 0, 0, List.of(),
                null, Instant.parse("2026-11-23T12:00:00Z")), null);
    }

    @Test
    void aNewerSnapshotReplacesAnUnsentOlderOneOfTheSameEvent() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(10);
        pending.offer(snapshot(1, 1));
        pending.offer(snapshot(1, 3));
        pending.offer(snapshot(1, 2));
        assertEquals(1, pending.size());
        assertEquals(List.of(snapshot(1, 3)), pending.take(10, 0, TimeUnit.MILLISECONDS));
        assertEquals(0, pending.size());
    }

    @Test
    void eventsAreTakenInTheOrderTheyFirstBecamePending() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(10);
        pending.offer(snapshot(3, 1));
        pending.offer(snapshot(1, 1));
        pending.offer(snapshot(2, 1));
        pending.offer(snapshot(3, 2));
        List<SnapshotUpdate> batch = pending.take(10, 0, TimeUnit.MILLISECONDS);
        assertEquals(List.of(3L, 1L, 2L), batch.stream().map(SnapshotUpdate::eventId).toList());
        assertEquals(2, batch.get(0).version());
    }

    @Test
    void atMostCapacityEventsWaitAndTheRestAreCountedAsDropped() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(2);
        assertTrue(pending.offer(snapshot(1, 1)));
        assertTrue(pending.offer(snapshot(2, 1)));
        assertFalse(pending.offer(snapshot(3, 1)));
        assertTrue(pending.offer(snapshot(2, 5)), "a waiting event still takes newer snapshots");
        assertEquals(2, pending.size());
        assertEquals(1, pending.dropped());
        pending.take(1, 0, TimeUnit.MILLISECONDS);
        assertTrue(pending.offer(snapshot(3, 1)), "room again once one was taken");
    }

    @Test
    void takeReturnsAtMostTheBatchSizeAndLeavesTheRest() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(100);
        for (int i = 1; i <= 10; i++) {
            pending.offer(snapshot(i, 1));
        }
        assertEquals(4, pending.take(4, 0, TimeUnit.MILLISECONDS).size());
        assertEquals(6, pending.size());
    }

    @Test
    void takeWaitsOnlyUpToTheTimeoutWhenNothingIsPending() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(1);
        assertEquals(List.of(), pending.take(10, 10, TimeUnit.MILLISECONDS));
    }

    @Test
    void concurrentOffersOfOneEventLeaveItsNewestVersionPending() throws Exception {
        PendingSnapshots pending = new PendingSnapshots(4);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int offset = t;
            threads[t] = new Thread(() -> {
                for (int v = 1 + offset; v <= 4_000; v += 4) {
                    pending.offer(snapshot(7, v));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        assertEquals(List.of(snapshot(7, 4_000)), pending.take(10, 0, TimeUnit.MILLISECONDS));
    }
}
