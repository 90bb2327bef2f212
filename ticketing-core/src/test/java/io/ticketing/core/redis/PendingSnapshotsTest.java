package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.internal.SnapshotUpdate;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PendingSnapshotsTest {

    static SnapshotUpdate snapshot(long eventId, long version) {
        return new SnapshotUpdate(new EventStatistics(eventId, version, EventStatus.AVAILABLE, 10, 10, 0, 0, List.of(),
                null, Instant.parse("2026-11-23T12:00:00Z")),
                List.of(new SeatChange("A", 1, 1, (int) version, SeatStatus.RESERVED)));
    }

    private static PendingSnapshots pending(int maxEvents) {
        return new PendingSnapshots(maxEvents, 4096, 65_536);
    }

    private static List<Long> versions(List<SnapshotUpdate> batch) {
        return batch.stream().map(SnapshotUpdate::version).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void everySnapshotOfAnEventWaitsWithItsSeatChangesInVersionOrder() throws InterruptedException {
        PendingSnapshots pending = pending(10);
        pending.offer(snapshot(1, 2));
        pending.offer(snapshot(1, 4));
        pending.offer(snapshot(1, 1)); // older than all: to the front
        pending.offer(snapshot(1, 3)); // in between
        pending.offer(snapshot(1, 3)); // already waiting: ignored
        assertEquals(1, pending.size());
        assertEquals(4, pending.snapshots());
        List<SnapshotUpdate> batch = pending.take(10, 0, TimeUnit.MILLISECONDS);
        assertEquals(List.of(snapshot(1, 1), snapshot(1, 2), snapshot(1, 3), snapshot(1, 4)), batch);
        assertEquals(0, pending.size());
        assertEquals(0, pending.snapshots());
        assertEquals(0, pending.dropped());
    }

    @Test
    void eventsAreTakenInTheOrderTheyFirstBecamePending() throws InterruptedException {
        PendingSnapshots pending = pending(10);
        pending.offer(snapshot(3, 1));
        pending.offer(snapshot(1, 1));
        pending.offer(snapshot(2, 1));
        pending.offer(snapshot(3, 2));
        List<SnapshotUpdate> batch = pending.take(10, 0, TimeUnit.MILLISECONDS);
        assertEquals(List.of(3L, 3L, 1L, 2L), batch.stream().map(SnapshotUpdate::eventId).toList());
        assertEquals(List.of(1L, 2L, 1L, 1L), versions(batch));
    }

    @Test
    void atMostMaxEventsWaitAndTheRestAreCountedAsDropped() throws InterruptedException {
        PendingSnapshots pending = pending(2);
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
    void pastMaxPerEventAnEventDropsItsOldest() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(10, 3, 100);
        for (int v = 1; v <= 3; v++) {
            assertTrue(pending.offer(snapshot(1, v)));
        }
        assertFalse(pending.offer(snapshot(1, 4)), "v1 is dropped for v4");
        assertTrue(pending.offer(snapshot(1, 3)), "already waiting: ignored, nothing dropped");
        assertFalse(pending.offer(snapshot(1, 1)), "older than every waiting one: dropped itself");
        assertTrue(pending.offer(snapshot(2, 1)), "another event is not limited by this one");
        assertEquals(2, pending.dropped());
        assertEquals(List.of(2L, 3L, 4L, 1L), versions(pending.take(10, 0, TimeUnit.MILLISECONDS)));
    }

    @Test
    void pastMaxSnapshotsEachEventKeepsItsNewestAndAnEventWithOneWaitingHasItReplaced() throws InterruptedException {
        PendingSnapshots pending = new PendingSnapshots(10, 100, 4);
        for (int v = 1; v <= 20; v++) {
            pending.offer(snapshot(1, v));
            pending.offer(snapshot(2, v));
        }
        assertEquals(4, pending.snapshots(), "never more than the bound once it is reached");
        pending.offer(snapshot(3, 1));
        pending.offer(snapshot(3, 2));
        assertEquals(List.of(19L, 20L, 19L, 20L, 2L), versions(pending.take(100, 0, TimeUnit.MILLISECONDS)));
        assertEquals(40 + 2 - 5, pending.dropped());
    }

    @Test
    void takeTakesWholeEventsUntilItHasAtLeastMaxSnapshotsAndLeavesTheRest() throws InterruptedException {
        PendingSnapshots pending = pending(100);
        for (int i = 1; i <= 10; i++) {
            pending.offer(snapshot(i, 1));
            pending.offer(snapshot(i, 2));
        }
        List<SnapshotUpdate> batch = pending.take(5, 0, TimeUnit.MILLISECONDS);
        assertEquals(6, batch.size(), "three whole events");
        assertEquals(7, pending.size());
        assertEquals(14, pending.snapshots());
    }

    @Test
    void aBatchPutBackGoesAheadOfItsEventsNewerSnapshotsAndKeepsItsEventsOrder() throws InterruptedException {
        PendingSnapshots pending = pending(10);
        pending.offer(snapshot(5, 1));
        pending.offer(snapshot(5, 2));
        pending.offer(snapshot(6, 1));
        List<SnapshotUpdate> failed = pending.take(10, 0, TimeUnit.MILLISECONDS);
        pending.offer(snapshot(6, 2));
        pending.offer(snapshot(5, 3));
        pending.putBack(failed);
        List<SnapshotUpdate> batch = pending.take(10, 0, TimeUnit.MILLISECONDS);
        assertEquals(List.of(6L, 6L, 5L, 5L, 5L), batch.stream().map(SnapshotUpdate::eventId).toList());
        assertEquals(List.of(1L, 2L, 1L, 2L, 3L), versions(batch));
    }

    @Test
    void takeWaitsOnlyUpToTheTimeoutWhenNothingIsPending() throws InterruptedException {
        PendingSnapshots pending = pending(1);
        assertEquals(List.of(), pending.take(10, 10, TimeUnit.MILLISECONDS));
    }

    @Test
    void concurrentOffersOfOneEventLeaveItsNewestVersionsInOrder() throws Exception {
        PendingSnapshots pending = new PendingSnapshots(4, 1000, 65_536);
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
        assertEquals(range(3_001, 4_000), versions(pending.take(10_000, 0, TimeUnit.MILLISECONDS)));
        assertEquals(3_000, pending.dropped());
        assertEquals(0, pending.snapshots());
    }
}
