package io.ticketing.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.ticketing.core.ErrorCode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventRules;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.NewEvent;
import io.ticketing.core.spi.ReserveCommand;
import io.ticketing.core.testing.BuyerRace;
import io.ticketing.core.testing.Sweeps;
import io.ticketing.core.testing.TestEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes — each its own pool, store and {@link Ticketing} — share one database and race on the same seats. */
class JdbcTwoNodesIT {
    private static final int THREADS_PER_NODE = 4;
    private static final int OPERATIONS_PER_THREAD = 60;

    private TestDatabase db;
    private HikariDataSource secondPool;

    @BeforeEach
    void freshSchema() {
        db = TestDatabase.create("two_nodes", 5);
        secondPool = TestDatabase.pool(TestEnvironment.jdbcUrl(), db.schema() + "_b", 5);
    }

    @AfterEach
    void dropSchema() {
        secondPool.close();
        db.close();
    }

    private JdbcTicketStore secondNodeStore() {
        return JdbcTicketStore.builder(secondPool).schema(db.schema()).build();
    }

    @Test
    void twoNodesRacingOnTheSameSeatsNeverOversellAndKeepStatisticsTrue() throws Exception {
        try (Ticketing a = Ticketing.builder().store(db.newStore()).holdDuration(Duration.ofSeconds(2))
                .expirySweepInterval(Duration.ofMillis(50)).build();
             Ticketing b = Ticketing.builder().store(secondNodeStore()).holdDuration(Duration.ofSeconds(2))
                     .expirySweepInterval(Duration.ofMillis(50)).build()) {
            Event event = a.events().create(User.seller(1), new EventDraft("race", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(3, 8, List.of(new Section("A", 100, 2), new Section("B", 50, 1))))); // 72 seats
            BuyerRace.Outcome race = BuyerRace.run(List.of(a, b), event.id(), THREADS_PER_NODE, OPERATIONS_PER_THREAD);
            Set<String> failures = race.failures();
            assertTrue(failures.isEmpty(), "unexpected failures: " + failures);

            db.assertConsistent();
            EventStatistics viaA = a.statistics().current(event.id(), User.seller(1));
            EventStatistics viaB = b.statistics().current(event.id(), User.seller(1));
            assertEquals(viaA, viaB, "both nodes read the same snapshot");
            assertInvariants(viaA);
            String s = db.schema();
            long reservations = db.queryLong("SELECT count(*) FROM " + s + ".reservations");
            long ended = db.queryLong("SELECT count(*) FROM " + s + ".reservations WHERE status <> 'held'");
            assertEquals(1 + reservations + ended, viaA.version(),
                    "one version per creation, reservation, confirmation, cancellation and expiry");
            assertEquals(db.queryLong("SELECT count(*) FROM " + s + ".tickets WHERE status = 'sold'"),
                    viaA.confirmedTickets());
            assertTrue(reservations > 0 && viaA.confirmedTickets() > 0, "the race sold seats: " + viaA);
        }
    }

    @Test
    void expiringOnTwoNodesAtOnceExpiresEachHoldExactlyOnce() throws Exception {
        JdbcTicketStore first = db.newStore();
        JdbcTicketStore second = secondNodeStore();
        Instant t0 = Instant.parse("2026-11-22T14:00:00Z");
        Event event = first.createEvent(new NewEvent(new EventDraft("expiry", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(6, 10, List.of(new Section("A", 100, 1)))), 1, t0));
        int holds = 60;
        for (int i = 0; i < holds; i++) {
            first.reserve(new ReserveCommand.BestAvailable("r-expiry-" + i, event.id(), 7, "A", 1, 1, null, t0,
                    t0.plusSeconds(60)));
        }
        Instant later = t0.plusSeconds(61);
        Callable<List<String>> sweeper1 = () -> Sweeps.expireAll(first, later, 7);
        Callable<List<String>> sweeper2 = () -> Sweeps.expireAll(second, later, 7);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<String> expired = new ArrayList<>();
            for (Future<List<String>> f : pool.invokeAll(List.of(sweeper1, sweeper2), 2, TimeUnit.MINUTES)) {
                expired.addAll(f.get());
            }
            assertEquals(holds, expired.size(), "every hold expired once");
            assertEquals(holds, new HashSet<>(expired).size(), "no hold expired twice");
        } finally {
            pool.shutdownNow();
        }
        EventStatistics s = first.statistics(event.id()).orElseThrow();
        assertEquals(60, s.remainingTickets());
        assertEquals(1 + 2L * holds, s.version());
        db.assertConsistent();
    }

    @Test
    void oneBuyerOnTwoNodesAtOnceNeverExceedsTheCap() throws Exception {
        JdbcTicketStore first = db.newStore();
        JdbcTicketStore second = secondNodeStore();
        int cap = 6;
        Event event = first.createEvent(new NewEvent(new EventDraft("capped", null, null, EventStatus.AVAILABLE,
                new SeatingConfig(10, 10, List.of(new Section("A", 100, 1))), new EventRules(cap)), 1, Instant.now()));
        CyclicBarrier start = new CyclicBarrier(2 * THREADS_PER_NODE);
        List<Callable<Integer>> buyers = new ArrayList<>();
        for (int t = 0; t < 2 * THREADS_PER_NODE; t++) {
            JdbcTicketStore node = t % 2 == 0 ? first : second;
            buyers.add(() -> {
                start.await();
                int held = 0;
                for (int i = 0; i < 10; i++) {
                    Instant now = Instant.now();
                    try {
                        Reservation r = node.reserve(new ReserveCommand.BestAvailable("r-cap-" + ThreadLocalRandom.current().nextLong(), event.id(), 7, "A", 1, 1 + i % 2, null, now, now.plusSeconds(600))).reservation();
                        held += r.seats().size();
                    } catch (TicketingException e) {
                        if (e.code() != ErrorCode.LIMIT_EXCEEDED) {
                            throw e;
                        }
                    }
                }
                return held;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        int held = 0;
        try {
            for (Future<Integer> f : pool.invokeAll(buyers, 2, TimeUnit.MINUTES)) {
                held += f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(held <= cap, held + " seats for one buyer, cap " + cap);
        assertEquals(held, first.statistics(event.id()).orElseThrow().allocatedTickets());
        db.assertConsistent();
    }

    private static void assertInvariants(EventStatistics s) {
        assertEquals(s.totalTickets(), s.remainingTickets() + s.allocatedTickets() + s.confirmedTickets());
        int remaining = 0;
        for (SubsectionStatistics sub : s.sections()) {
            assertEquals(sub.total(), sub.remaining() + sub.allocated() + sub.confirmed(), sub.toString());
            remaining += sub.remaining();
        }
        assertEquals(s.remainingTickets(), remaining);
    }
}
