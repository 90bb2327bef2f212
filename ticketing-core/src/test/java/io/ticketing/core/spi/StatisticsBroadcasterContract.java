package io.ticketing.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.CapturedLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@link StatisticsBroadcaster} contract as tests. A broadcaster's test class extends this and implements
 * {@link #newBroadcaster()}; one that spans nodes also implements {@link #newPeer()}, so that every snapshot
 * here is published on one node and received on another. Every test here must pass unchanged. Shipped in the
 * {@code ticketing-core} test-jar, next to {@link TicketStoreContract}.
 */
public abstract class StatisticsBroadcasterContract {
    private static final AtomicLong EVENT_IDS = new AtomicLong(System.nanoTime() & 0xffff_ffffL);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    /** Where the tests subscribe. */
    protected StatisticsBroadcaster broadcaster;
    /** Where the tests publish: another node of the same transport, or {@link #broadcaster} itself. */
    protected StatisticsBroadcaster publisher;

    /** A new broadcaster, not started yet. */
    protected abstract StatisticsBroadcaster newBroadcaster();

    /**
     * A broadcaster on another node sharing {@link #newBroadcaster()}'s transport, not started yet; null (the
     * default) for a broadcaster that serves one node, whose own publications the tests then subscribe to.
     */
    protected StatisticsBroadcaster newPeer() {
        return null;
    }

    /** Whether seat changes reach listeners with their snapshot; else listeners get null seat changes. */
    protected boolean carriesSeatChanges() {
        return true;
    }

    @BeforeEach
    void startBroadcasters() {
        broadcaster = newBroadcaster();
        broadcaster.start(eventId -> Optional.empty());
        StatisticsBroadcaster peer = newPeer();
        if (peer == null) {
            publisher = broadcaster;
        } else {
            publisher = peer;
            publisher.start(eventId -> Optional.empty());
        }
        Await.until(() -> broadcaster.isHealthy() && publisher.isHealthy(), "the broadcasters are healthy");
    }

    @AfterEach
    void closeBroadcasters() {
        if (publisher != broadcaster) {
            publisher.close();
        }
        broadcaster.close();
    }

    /** A new event id, unseen by every other test and run. */
    protected static long newEventId() {
        return EVENT_IDS.incrementAndGet();
    }

    protected static EventStatistics snapshot(long eventId, long version) {
        return new EventStatistics(eventId, version, EventStatus.AVAILABLE, 10, 10 - (int) Math.min(version, 10), 0,
                0, List.of(), null, Instant.parse("2026-11-22T14:00:00Z").plusSeconds(version));
    }

    @Test
    void aSubscriberGetsTheSnapshotsOfItsEventOnly() {
        long mine = newEventId();
        long other = newEventId();
        Recorder own = subscribe(mine);
        Recorder others = subscribe(other);
        publisher.publish(snapshot(mine, 2));
        publisher.publish(snapshot(other, 7));
        own.awaitVersion(2);
        others.awaitVersion(7);
        assertEquals(List.of(snapshot(mine, 2)), own.snapshots);
        assertEquals(List.of(snapshot(other, 7)), others.snapshots);
    }

    @Test
    void aListenerOfAllEventsGetsEveryEventsSnapshotsAndListingChanges() {
        List<EventStatistics> snapshots = new CopyOnWriteArrayList<>();
        List<Long> listings = new CopyOnWriteArrayList<>();
        Subscription all;
        try {
            all = broadcaster.subscribeAll(new AllEventsListener() {
                @Override
                public void onStatistics(EventStatistics statistics) {
                    snapshots.add(statistics);
                }

                @Override
                public void onListingChanged(long eventId) {
                    listings.add(eventId);
                }
            });
        } catch (UnsupportedOperationException notCarried) {
            Assumptions.abort("this broadcaster does not carry all events' updates");
            return;
        }
        long one = newEventId();
        long two = newEventId();
        publisher.publish(snapshot(one, 1));
        publisher.publish(snapshot(two, 1), List.of());
        publisher.publishListingChanged(two);
        Await.until(() -> snapshots.size() == 2 && listings.size() == 1, "both snapshots and the listing change");
        assertEquals(List.of(snapshot(one, 1), snapshot(two, 1)), List.copyOf(snapshots));
        assertEquals(List.of(two), List.copyOf(listings));
        all.close();
        publisher.publish(snapshot(one, 2));
        Recorder after = subscribe(one);
        publisher.publish(snapshot(one, 3));
        after.awaitVersion(3);
        assertEquals(2, snapshots.size(), "a closed subscription gets nothing more");
    }

    @Test
    void seatChangesTravelWithTheirSnapshot() {
        long eventId = newEventId();
        Recorder recorder = subscribe(eventId);
        List<SeatChange> changes = List.of(new SeatChange("A", 1, 2, 3, SeatStatus.RESERVED),
                new SeatChange("A", 1, 2, 4, SeatStatus.RESERVED));
        publisher.publish(snapshot(eventId, 3), changes);
        recorder.awaitVersion(3);
        assertEquals(carriesSeatChanges() ? changes : null, recorder.seatChanges.get(0));
    }

    @Test
    void versionsOnlyGrowAndTheNewestArrives() {
        long eventId = newEventId();
        Recorder recorder = subscribe(eventId);
        for (long version = 1; version <= 40; version++) {
            publisher.publish(snapshot(eventId, version));
        }
        recorder.awaitVersion(40);
        publisher.publish(snapshot(eventId, 20)); // older than what the subscriber has: never delivered
        publisher.publish(snapshot(eventId, 41));
        recorder.awaitVersion(41);
        List<Long> versions = recorder.versions();
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "versions in order: " + versions);
        }
    }

    @Test
    void everySubscriberOfTheEventGetsItEvenIfAnotherThrows() {
        long eventId = newEventId();
        broadcaster.subscribe(eventId, statistics -> {
            throw new IllegalStateException("a broken listener");
        });
        Recorder first = subscribe(eventId);
        Recorder second = subscribe(eventId);
        publisher.publish(snapshot(eventId, 1));
        publisher.publish(snapshot(eventId, 2));
        first.awaitVersion(2);
        second.awaitVersion(2);
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() {
        long eventId = newEventId();
        Recorder closed = new Recorder();
        Subscription subscription = broadcaster.subscribe(eventId, closed);
        Recorder open = subscribe(eventId);
        publisher.publish(snapshot(eventId, 1));
        closed.awaitVersion(1);
        subscription.close();
        publisher.publish(snapshot(eventId, 2));
        open.awaitVersion(2);
        assertEquals(List.of(1L), closed.versions());
    }

    @Test
    void publishingNeverWaitsForListeners() throws InterruptedException {
        long eventId = newEventId();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Recorder after = new Recorder();
        broadcaster.subscribe(eventId, statistics -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        broadcaster.subscribe(eventId, after);
        try {
            publisher.publish(snapshot(eventId, 1));
            assertTrue(entered.await(15, TimeUnit.SECONDS), "the listener was called");
            long start = System.nanoTime();
            for (long version = 2; version <= 200; version++) {
                publisher.publish(snapshot(eventId, version));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "200 publications took " + took);
        } finally {
            release.countDown();
        }
        after.awaitVersion(200);
    }

    private Recorder subscribe(long eventId) {
        Recorder recorder = new Recorder();
        broadcaster.subscribe(eventId, recorder);
        return recorder;
    }

    /** Records what a listener gets, in order. */
    protected static final class Recorder implements StatisticsListener {
        final List<EventStatistics> snapshots = new CopyOnWriteArrayList<>();
        final List<List<SeatChange>> seatChanges = new CopyOnWriteArrayList<>();

        @Override
        public void onStatistics(EventStatistics statistics) {
            onUpdate(statistics, null);
        }

        @Override
        public void onUpdate(EventStatistics statistics, List<SeatChange> changes) {
            snapshots.add(statistics);
            seatChanges.add(changes);
        }

        List<Long> versions() {
            return snapshots.stream().map(EventStatistics::version).toList();
        }

        void awaitVersion(long version) {
            Await.until(() -> !snapshots.isEmpty() && snapshots.get(snapshots.size() - 1).version() >= version,
                    "version " + version + ", got " + versions());
        }
    }
}
