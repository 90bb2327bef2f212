package io.ticketing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.memory.InMemoryTicketStore;
import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventDraft;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.EventStatus;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SeatingConfig;
import io.ticketing.core.model.Section;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.model.User;
import io.ticketing.core.spi.Subscription;
import io.ticketing.core.testing.Await;
import io.ticketing.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 16 threads race reservations (explicit and best available), confirms, cancels and refunds on one
 * event for 100,000 operations while the clock moves, holds expire under them and the in-memory store
 * forgets what ended a minute before. Afterwards the seat states are the truth: no seat belongs to two live
 * reservations, and the statistics match them.
 */
class ConcurrencyStressTest {
    private static final int THREADS = 16;
    private static final int OPERATIONS = 100_000;
    private static final int ROWS = 8;
    private static final int COLS = 10;

    @Test
    void racingBuyersNeverOversellAndStatisticsStayTrue() throws Exception {
        MutableClock clock = MutableClock.startingAt("2026-11-22T14:00:00Z");
        InMemoryTicketStore store = InMemoryTicketStore.builder().endedReservationRetention(Duration.ofMinutes(1))
                .confirmedReservationRetention(Duration.ofDays(366)).build(); // only ended ones are forgotten here
        try (Ticketing ticketing = Ticketing.builder().store(store).clock(clock).holdDuration(Duration.ofMinutes(3))
                .expirySweepInterval(Duration.ofMillis(10)).build()) {
            Event event = ticketing.events().create(User.seller(1), new EventDraft("stress", null, null,
                    EventStatus.AVAILABLE, new SeatingConfig(ROWS, COLS,
                    List.of(new Section("A", 100, 2), new Section("B", 50, 1)))));
            int total = ROWS * COLS * 3;

            AtomicLong lastSeen = new AtomicLong();
            AtomicReference<String> orderViolation = new AtomicReference<>();
            AtomicReference<EventStatistics> brokenInvariant = new AtomicReference<>();
            Subscription subscription = ticketing.statistics().subscribe(event.id(), s -> {
                long previous = lastSeen.getAndSet(s.version());
                if (s.version() <= previous) {
                    orderViolation.compareAndSet(null, "v" + s.version() + " after v" + previous);
                }
                if (!invariantsHold(s)) {
                    brokenInvariant.compareAndSet(null, s);
                }
            });

            ConcurrentLinkedQueue<Owned> reservations = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
            // A reader polls the current statistics during the race: never an older version, never a broken count.
            AtomicBoolean racing = new AtomicBoolean(true);
            Future<String> reader = pool.submit(() -> {
                long last = 0;
                while (racing.get()) {
                    EventStatistics s = ticketing.statistics().current(event.id(), null);
                    if (s.version() < last || !invariantsHold(s)) {
                        return "read v" + s.version() + " after v" + last + ": " + s;
                    }
                    last = s.version();
                }
                return null;
            });
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    return race(ticketing, event.id(), User.buyer(100 + thread), thread == 0 ? clock : null,
                            OPERATIONS / THREADS, reservations);
                }));
            }
            int succeeded = 0;
            for (Future<Integer> f : results) {
                succeeded += f.get(5, TimeUnit.MINUTES);
            }
            racing.set(false);
            assertEquals(null, reader.get(1, TimeUnit.MINUTES), "current statistics must never go back or break");
            pool.shutdown();
            assertTrue(succeeded > OPERATIONS / 10, "most operations should do something, only " + succeeded + " did");

            // The clock stopped with the race; once the sweeper has expired every hold that lapsed by then,
            // nothing changes any more and the final state can be read consistently.
            Await.until(() -> reservations.stream().flatMap(o -> find(ticketing, o).stream())
                    .noneMatch(r -> r.status() == ReservationStatus.HELD && !r.expiresAt().isAfter(clock.instant())),
                    "the sweeper to expire every lapsed hold");
            EventStatistics finalStats = ticketing.statistics().current(event.id(), null);
            Await.until(() -> lastSeen.get() == finalStats.version(), "the subscriber to see the final version");
            subscription.close();
            assertEquals(null, orderViolation.get(), "versions must strictly increase for a subscriber");
            assertEquals(null, brokenInvariant.get(), "every published snapshot keeps the invariants");
            assertTrue(invariantsHold(finalStats));
            assertEquals(total, finalStats.totalTickets());

            // No seat belongs to two live reservations; live reservations explain every non-available seat.
            Set<SeatRef> live = new HashSet<>();
            int held = 0;
            int confirmed = 0;
            for (Owned owned : reservations) {
                Reservation r = find(ticketing, owned).orElse(null); // null: it ended and was forgotten
                if (r != null && (r.status() == ReservationStatus.HELD || r.status() == ReservationStatus.CONFIRMED)) {
                    for (ReservedSeat s : r.seats()) {
                        assertTrue(live.add(s.ref()), "seat " + s.ref() + " belongs to two live reservations");
                    }
                    if (r.status() == ReservationStatus.HELD) {
                        held += r.seats().size();
                    } else {
                        confirmed += r.seats().size();
                    }
                }
            }
            assertEquals(held, finalStats.allocatedTickets());
            assertEquals(confirmed, finalStats.confirmedTickets());

            // The counters equal a full count of the seats, per subsection.
            for (SubsectionStatistics sub : finalStats.sections()) {
                List<Seat> seats = ticketing.events().seats(event.id(), sub.section(), sub.subsection(), null).seats();
                assertEquals(sub.remaining(), count(seats, SeatStatus.AVAILABLE), sub.toString());
                assertEquals(sub.allocated(), count(seats, SeatStatus.RESERVED), sub.toString());
                assertEquals(sub.confirmed(), count(seats, SeatStatus.SOLD), sub.toString());
            }
        }
    }

    private record Owned(String id, User buyer) {
    }

    /** The reservation, or empty once the store has forgotten it (only ended ones are). */
    private static Optional<Reservation> find(Ticketing ticketing, Owned owned) {
        try {
            return Optional.of(ticketing.reservations().get(owned.id(), owned.buyer()));
        } catch (TicketingException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static long count(List<Seat> seats, SeatStatus status) {
        return seats.stream().filter(s -> s.status() == status).count();
    }

    /** One buyer's share of the race; returns how many operations changed something. */
    private static int race(Ticketing ticketing, long eventId, User buyer, MutableClock clock, int operations,
                            ConcurrentLinkedQueue<Owned> all) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<String> mine = new ArrayList<>();
        String[] subsections = {"A/1", "A/2", "B/1"};
        int changed = 0;
        for (int op = 0; op < operations; op++) {
            if (clock != null && op % 200 == 0) {
                clock.advance(Duration.ofMinutes(1)); // holds older than 3 minutes start to lapse
            }
            String[] sub = subsections[random.nextInt(3)].split("/");
            try {
                int dice = random.nextInt(100);
                if (dice < 35) {
                    List<SeatRef> seats = new ArrayList<>();
                    int row = 1 + random.nextInt(ROWS);
                    int first = 1 + random.nextInt(COLS - 3);
                    for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                        seats.add(new SeatRef(sub[0], Integer.parseInt(sub[1]), row, first + k));
                    }
                    Reservation r = ticketing.reservations().reserve(eventId, ReservationRequest.seats(seats), null, buyer)
                            .reservation();
                    mine.add(r.id());
                    all.add(new Owned(r.id(), buyer));
                } else if (dice < 60) {
                    Reservation r = ticketing.reservations().reserve(eventId,
                            ReservationRequest.bestAvailable(sub[0], Integer.parseInt(sub[1]), 1 + random.nextInt(4)),
                            null, buyer).reservation();
                    mine.add(r.id());
                    all.add(new Owned(r.id(), buyer));
                } else if (dice < 80 && !mine.isEmpty()) {
                    ticketing.reservations().confirm(mine.get(random.nextInt(mine.size())), null, buyer);
                } else if (!mine.isEmpty()) {
                    ticketing.reservations().cancel(mine.remove(random.nextInt(mine.size())), buyer);
                } else {
                    continue;
                }
                changed++;
            } catch (TicketingException e) {
                switch (e.code()) {
                    case SEATS_UNAVAILABLE, RESERVATION_EXPIRED, CONFLICT -> { }
                    case NOT_FOUND -> mine.clear(); // a reservation of ours ended and was forgotten: start afresh
                    default -> throw e;
                }
            }
        }
        return changed;
    }

    private static boolean invariantsHold(EventStatistics s) {
        int r = 0;
        int a = 0;
        int c = 0;
        for (SubsectionStatistics sub : s.sections()) {
            if (sub.remaining() + sub.allocated() + sub.confirmed() != sub.total() || sub.remaining() < 0
                    || sub.allocated() < 0 || sub.confirmed() < 0) {
                return false;
            }
            r += sub.remaining();
            a += sub.allocated();
            c += sub.confirmed();
        }
        return r == s.remainingTickets() && a == s.allocatedTickets() && c == s.confirmedTickets()
                && r + a + c == s.totalTickets();
    }
}
