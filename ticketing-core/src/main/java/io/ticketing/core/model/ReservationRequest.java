package io.ticketing.core.model;

import java.util.List;
import java.util.Objects;

/**
 * A buyer's request for seats, in exactly one of two forms: explicit {@link Seats}, or {@link BestAvailable}
 * seats in one section/subsection. The reservation service checks either against the event's seating config.
 */
public sealed interface ReservationRequest permits ReservationRequest.Seats, ReservationRequest.BestAvailable {

    /** These seats, all or none. The list is kept as given (the service names a null or repeated entry). */
    record Seats(List<SeatRef> seats) implements ReservationRequest {
        public Seats {
            Objects.requireNonNull(seats, "seats");
        }
    }

    /** {@code quantity} seats of one subsection, adjacent in one row when such a run exists. */
    record BestAvailable(String section, int subsection, int quantity) implements ReservationRequest {
        public BestAvailable {
            Objects.requireNonNull(section, "section");
        }
    }

    static Seats seats(List<SeatRef> seats) {
        return new Seats(seats);
    }

    static Seats seats(SeatRef... seats) {
        return new Seats(List.of(seats));
    }

    static BestAvailable bestAvailable(String section, int subsection, int quantity) {
        return new BestAvailable(section, subsection, quantity);
    }
}
