package io.ticketing.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.ErrorCode;
import io.ticketing.core.Ticketing;
import io.ticketing.core.TicketingException;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationRequest;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Buyers on several nodes racing on the seats of one event with sections A (2 subsections) and B (1), 3 rows
 * × 8 seats: each thread, started together with the others, makes random explicit and best-available holds
 * and confirms, cancels or leaves each to expire. Asserts that the versions each buyer saw increase, and
 * returns once the nodes' sweeps (holds must be short) expired every hold left, so that the event no longer
 * changes.
 */
public final class BuyerRace {
    private BuyerRace() {
    }

    /** What the race left: every reservation made, and every failure that is not a refusal. */
    public record Outcome(Set<String> reservationIds, Set<String> failures) {
    }

    public static Outcome run(List<Ticketing> nodes, long eventId, int threadsPerNode, int operationsPerThread)
            throws Exception {
        Set<String> reservationIds = ConcurrentHashMap.newKeySet();
        Set<String> failures = ConcurrentHashMap.newKeySet();
        int threads = nodes.size() * threadsPerNode;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Callable<List<Long>>> buyers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Ticketing node = nodes.get(t % nodes.size());
            User buyer = User.buyer(100 + t);
            buyers.add(() -> {
                start.await(30, TimeUnit.SECONDS);
                return race(node, eventId, buyer, operationsPerThread, reservationIds, failures);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<List<Long>> versions : pool.invokeAll(buyers, 3, TimeUnit.MINUTES)) {
                List<Long> seen = versions.get();
                for (int i = 1; i < seen.size(); i++) {
                    assertTrue(seen.get(i) > seen.get(i - 1), "versions one buyer saw increase: " + seen);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Ticketing any = nodes.get(0);
        Await.until(() -> any.statistics().current(eventId, User.seller(1)).allocatedTickets() == 0,
                "the nodes' sweeps expired every hold left to expire");
        return new Outcome(reservationIds, failures);
    }

    /** Returns the versions this buyer saw. */
    private static List<Long> race(Ticketing node, long eventId, User buyer, int operations, Set<String> reservationIds,
                                   Set<String> failures) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            try {
                ReservationRequest request = random.nextBoolean()
                        ? ReservationRequest.bestAvailable(random.nextBoolean() ? "A" : "B", 1, 1 + random.nextInt(3))
                        : ReservationRequest.seats(new SeatRef("A", 1 + random.nextInt(2), 1 + random.nextInt(3),
                        1 + random.nextInt(8)), new SeatRef("A", 1, 1 + random.nextInt(3), 1 + random.nextInt(8)));
                Reservation held = node.reservations().reserve(eventId, request, null, buyer).reservation();
                reservationIds.add(held.id());
                versions.add(node.statistics().current(eventId, User.seller(1)).version());
                int next = random.nextInt(4);
                if (next == 3) {
                    continue; // left to expire
                }
                Reservation after = next == 0
                        ? node.reservations().cancel(held.id(), buyer)
                        : node.reservations().confirm(held.id(), "pay-" + i, buyer);
                assertTrue(after.status() == ReservationStatus.CANCELLED || after.status() == ReservationStatus.CONFIRMED);
            } catch (TicketingException e) {
                if (e.code() != ErrorCode.SEATS_UNAVAILABLE && e.code() != ErrorCode.CONFLICT
                        && e.code() != ErrorCode.RESERVATION_EXPIRED && e.code() != ErrorCode.VALIDATION_FAILED) {
                    failures.add(e.code() + ": " + e.getMessage());
                }
            }
        }
        return versions;
    }
}
