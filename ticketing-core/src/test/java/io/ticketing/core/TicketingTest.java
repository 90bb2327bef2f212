package io.ticketing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.memory.InProcessBroadcaster;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventPatch;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.EventChange;
import io.ticketing.core.spi.EventQuery;
import io.ticketing.core.spi.ForwardingTicketStore;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReservationChange;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.spi.StatisticsBroadcaster;
import io.ticketing.core.spi.StatisticsListener;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.spi.TicketStore;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.CapturedLog;
import io.ticketing.core.testing.Drafts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TicketingTest {
    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private static final User SELLER = User.seller(3);

    @Test
    void anEventWhoseStatisticsCannotBeInitialisedIsRemovedWhole() {
        InMemoryTicketStore real = new InMemoryTicketStore();
        TicketStore failing = new ForwardingTicketStore(real) {
            @Override
            public Optional<EventStatistics> statistics(long eventId) {
                throw new IllegalStateException("counters unavailable");
            }
        };
        try (Ticketing ticketing = Ticketing.builder().store(failing).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ticketing.events().create(SELLER, Drafts.gala()));
            assertEquals("counters unavailable", e.getMessage());
            assertTrue(real.listEvents(new EventQuery(null, false, Long.MAX_VALUE, 10)).isEmpty());
            assertTrue(real.findEvent(1).isEmpty());
            assertTrue(real.seats(1, "A", 1).isEmpty());
        }
    }

    @Test
    void anEventWhoseBroadcastStateCannotBeInitialisedIsRemovedWhole() {
        InMemoryTicketStore store = new InMemoryTicketStore();
        StatisticsBroadcaster failing = new StatisticsBroadcaster() {
            @Override
            public void publish(EventStatistics statistics) {
                throw new IllegalStateException("pub/sub refused");
            }

            @Override
            public Subscription subscribe(long eventId, StatisticsListener listener) {
                return () -> { };
            }
        };
        try (Ticketing ticketing = Ticketing.builder().store(store).broadcaster(failing).build()) {
            assertThrows(IllegalStateException.class, () -> ticketing.events().create(SELLER, Drafts.gala()));
            assertTrue(store.listEvents(new EventQuery(null, false, Long.MAX_VALUE, 10)).isEmpty());
        }
    }

    @Test
    void aFailingPublishAfterACommittedChangeDoesNotUndoIt() {
        InMemoryTicketStore store = new InMemoryTicketStore();
        boolean[] failNow = {false};
        StatisticsBroadcaster flaky = new StatisticsBroadcaster() {
            @Override
            public void publish(EventStatistics statistics) {
                if (failNow[0]) {
                    throw new IllegalStateException("pub/sub down");
                }
            }

            @Override
            public Subscription subscribe(long eventId, StatisticsListener listener) {
                return () -> { };
            }
        };
        try (Ticketing ticketing = Ticketing.builder().store(store).broadcaster(flaky).build()) {
            Event e = ticketing.events().create(SELLER, Drafts.gala());
            failNow[0] = true;
            Event ended = ticketing.events().update(e.id(), new EventPatch(EventStatus.ENDED, null), SELLER);
            assertEquals(EventStatus.ENDED, ended.status());
            assertTrue(log.text().contains("Could not publish statistics"), log.text());
            assertEquals(2, store.statistics(e.id()).orElseThrow().version());
        }
    }

    @Test
    void buildNamesTheSettingThatIsOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ticketing.builder().holdDuration(Duration.ofMillis(10)).build());
        assertTrue(e.getMessage().startsWith("holdDuration must be between"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Ticketing.builder().expirySweepInterval(Duration.ofHours(1)).build());
        assertTrue(e.getMessage().startsWith("expirySweepInterval"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ticketing.builder().expiryBatchSize(0).build());
        assertTrue(e.getMessage().startsWith("expiryBatchSize"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Ticketing.builder().store(null));
    }

    @Test
    void closeStopsEveryThreadItStartedAndClosesTheAdapters() {
        boolean[] closed = new boolean[2];
        InMemoryTicketStore real = new InMemoryTicketStore();
        TicketStore store = new ForwardingTicketStore(real) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        InProcessBroadcaster inProcess = new InProcessBroadcaster();
        StatisticsBroadcaster broadcaster = new StatisticsBroadcaster() {
            @Override
            public void publish(EventStatistics statistics) {
                inProcess.publish(statistics);
            }

            @Override
            public Subscription subscribe(long eventId, StatisticsListener listener) {
                return inProcess.subscribe(eventId, listener);
            }

            @Override
            public void close() {
                inProcess.close();
                closed[1] = true;
            }
        };
        Set<Thread> before = liveThreads(); // other tests' instances may still be running theirs
        Ticketing ticketing = Ticketing.builder().store(store).broadcaster(broadcaster).build();
        Event e = ticketing.events().create(SELLER, Drafts.gala());
        ticketing.statistics().subscribe(e.id(), s -> { });
        ticketing.events().update(e.id(), new EventPatch(null, false), SELLER);
        assertTrue(startedSince(before, "ticketing-hold-expiry") > 0);
        ticketing.close();
        ticketing.close();
        assertTrue(closed[0] && closed[1]);
        // A pool's last thread is still finishing its exit for a moment after the pool reports termination.
        Await.until(() -> startedSince(before, "ticketing-hold-expiry") == 0, "the expiry thread to end");
        Await.until(() -> startedSince(before, "ticketing-fanout") == 0, "the fan-out thread to end");
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** Live threads named {@code prefix…} that were not alive in {@code before}. */
    private static long startedSince(Set<Thread> before, String prefix) {
        return liveThreads().stream().filter(t -> !before.contains(t) && t.getName().startsWith(prefix)).count();
    }

    @Test
    void theDefaultsAreInMemoryAndInProcess() {
        try (Ticketing ticketing = Ticketing.builder().build()) {
            assertTrue(ticketing.isStoreHealthy());
            assertTrue(ticketing.isBroadcasterHealthy());
            Event e = ticketing.events().create(SELLER, Drafts.gala());
            assertSame(e, ticketing.events().get(e.id(), null));
        }
    }
}
