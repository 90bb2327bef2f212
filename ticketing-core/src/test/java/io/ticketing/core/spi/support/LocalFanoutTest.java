package io.ticketing.core.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.CapturedLog;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    @Test
    void aBlockedListenerGetsTheNewestSnapshotNotABacklog() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        fanout.subscribe(1, s -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(s.version());
        });
        fanout.deliver(v(1, 1));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        for (long version = 2; version <= 100; version++) {
            fanout.deliver(v(1, version));
        }
        release.countDown();
        Await.until(() -> seen.contains(100L), "v100");
        assertEquals(List.of(1L, 100L), seen);
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
