package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.Ticketing;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes — each its own {@link RedisTicketStore} and {@link Ticketing} — share one Redis (a server, then
 * the cluster) and race many threads on the same seats: no oversell, statistics equal a recount, every hold
 * expires exactly once.
 */
class RedisTwoNodesIT {
    private static final int THREADS_PER_NODE = 6;
    private static final int OPERATIONS_PER_THREAD = 80;

    private final String prefix = StoreKeys.uniquePrefix();
    private String url;

    static List<String> redisUrls() {
        return List.of(TestEnvironment.redisUri().toString(), TestEnvironment.redisClusterUrl());
    }

    @AfterEach
    void deleteKeys() {
        StoreKeys.deleteAll(url, prefix);
    }

    @ParameterizedTest
    @MethodSource("redisUrls")
    void manyThreadsOnTwoNodesNeverOversellAndKeepStatisticsTrue(String redisUrl) throws Exception {
        url = redisUrl;
        try (Ticketing a = node(); Ticketing b = node()) {
            Event event = a.events().create(User.seller(1), new EventDraft("race", null, null, EventStatus.AVAILABLE,
                    new SeatingConfig(3, 8, List.of(new Section("A", 100, 2), new Section("B", 50, 1))))); // 72 seats
            BuyerRace.Outcome race = BuyerRace.run(List.of(a, b), event.id(), THREADS_PER_NODE, OPERATIONS_PER_THREAD);
            assertTrue(race.failures().isEmpty(), "unexpected failures: " + race.failures());
            Set<String> reservationIds = race.reservationIds();

            try (RedisTicketStore store = StoreKeys.newStore(url, prefix)) {
                EventStatistics stats = Recount.assertConsistent(store, event, reservationIds);
                assertEquals(stats, b.statistics().current(event.id(), User.seller(1)), "both nodes read one snapshot");
                long ended = reservationIds.stream()
                        .filter(id -> store.findReservation(id).orElseThrow().status() != ReservationStatus.HELD).count();
                assertEquals(1 + reservationIds.size() + ended, stats.version(),
                        "one version per creation, reservation, confirmation, cancellation and expiry");
                assertTrue(stats.confirmedTickets() > 0, "the race sold seats: " + stats);
            }
        }
    }

    private Ticketing node() {
        return Ticketing.builder().store(StoreKeys.newStore(url, prefix)).holdDuration(Duration.ofSeconds(2))
                .expirySweepInterval(Duration.ofMillis(50)).build();
    }

    @ParameterizedTest
    @MethodSource("redisUrls")
    void expiringOnTwoNodesAtOnceExpiresEachHoldExactlyOnce(String redisUrl) throws Exception {
        url = redisUrl;
        try (RedisTicketStore first = StoreKeys.newStore(url, prefix);
             RedisTicketStore second = StoreKeys.newStore(url, prefix)) {
            Instant t0 = Instant.parse("2026-11-22T14:00:00Z");
            List<Long> events = new ArrayList<>();
            int holds = 60;
            for (int e = 0; e < 3; e++) {
                Event event = first.createEvent(new NewEvent(new EventDraft("expiry", null, null, EventStatus.AVAILABLE,
                        new SeatingConfig(6, 10, List.of(new Section("A", 100, 1)))), 1, t0));
                events.add(event.id());
                for (int i = 0; i < holds; i++) {
                    (i % 2 == 0 ? first : second).reserve(new ReserveCommand.BestAvailable(null, event.id(), 7,
                            "A", 1, 1, null, t0, t0.plusSeconds(60)));
                }
            }
            Instant later = t0.plusSeconds(61);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<String> expired = new ArrayList<>();
                List<Callable<List<String>>> sweepers = List.of(() -> Sweeps.expireAll(first, later, 7),
                        () -> Sweeps.expireAll(second, later, 7));
                for (Future<List<String>> f : pool.invokeAll(sweepers, 2, TimeUnit.MINUTES)) {
                    expired.addAll(f.get());
                }
                assertEquals(3 * holds, expired.size(), "every hold expired once");
                assertEquals(3 * holds, new HashSet<>(expired).size(), "no hold expired twice");
            } finally {
                pool.shutdownNow();
            }
            for (long id : events) {
                EventStatistics s = first.statistics(id).orElseThrow();
                assertEquals(60, s.remainingTickets());
                assertEquals(1 + 2L * holds, s.version());
            }
        }
    }
}
