package io.ticketing.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticketing.core.model.Event;
import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import io.ticketing.core.model.Seat;
import io.ticketing.core.model.SeatRef;
import io.ticketing.core.model.SeatStatus;
import io.ticketing.core.model.SubsectionStatistics;
import io.ticketing.core.spi.TicketStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Checks a store's event against the truth: its statistics against a recount of its seats, and its reservations. */
final class Recount {
    private Recount() {
    }

    /**
     * Asserts that the statistics equal a recount of the seats, per subsection and in total; that no seat is in
     * two live (held or confirmed) reservations among {@code reservationIds} (every reservation made on the
     * event); and that exactly the seats of those live reservations are taken, held ones reserved and
     * confirmed ones sold. Returns the statistics.
     */
    static EventStatistics assertConsistent(TicketStore store, Event event, Collection<String> reservationIds) {
        EventStatistics stats = store.statistics(event.id()).orElseThrow();
        Map<SeatRef, SeatStatus> taken = new HashMap<>();
        int remaining = 0;
        int reserved = 0;
        int sold = 0;
        for (SubsectionStatistics sub : stats.sections()) {
            int[] counts = new int[3];
            for (Seat seat : store.seats(event.id(), sub.section(), sub.subsection())) {
                counts[seat.status().ordinal()]++;
                if (seat.status() != SeatStatus.AVAILABLE) {
                    taken.put(new SeatRef(sub.section(), sub.subsection(), seat.row(), seat.seat()), seat.status());
                }
            }
            assertEquals(new SubsectionStatistics(sub.section(), sub.subsection(), sub.price(), sub.total(), counts[0],
                    counts[1], counts[2]), sub, "statistics of a subsection against a recount of its seats");
            remaining += counts[0];
            reserved += counts[1];
            sold += counts[2];
        }
        assertEquals(remaining, stats.remainingTickets(), "remaining against a recount in " + stats);
        assertEquals(reserved, stats.allocatedTickets(), "allocated against a recount in " + stats);
        assertEquals(sold, stats.confirmedTickets(), "confirmed against a recount in " + stats);
        assertEquals(stats.totalTickets(), remaining + reserved + sold);

        Map<SeatRef, String> owner = new HashMap<>();
        for (String id : reservationIds) {
            Reservation r = store.findReservation(id).orElseThrow(() -> new AssertionError("reservation " + id + " is gone"));
            if (r.status() != ReservationStatus.HELD && r.status() != ReservationStatus.CONFIRMED) {
                continue;
            }
            SeatStatus expected = r.status() == ReservationStatus.HELD ? SeatStatus.RESERVED : SeatStatus.SOLD;
            for (ReservedSeat s : r.seats()) {
                String other = owner.put(s.ref(), id);
                assertTrue(other == null, "seat " + s.ref() + " is in reservations " + other + " and " + id);
                assertEquals(expected, taken.get(s.ref()), "seat " + s.ref() + " of " + r.status() + " reservation " + id);
            }
        }
        assertEquals(taken.keySet(), owner.keySet(), "the taken seats are exactly those of live reservations");
        return stats;
    }
}
