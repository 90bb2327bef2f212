package io.ticketing.core.model;

import java.util.List;

/**
 * A buyer's request for seats: either explicit {@code seats}, or {@code quantity} best-available seats in
 * one {@code section}/{@code subsection}. Exactly one form must be used.
 */
public record ReservationRequest(List<SeatRef> seats, String section, Integer subsection, Integer quantity) {

    public static ReservationRequest seats(List<SeatRef> seats) {
        return new ReservationRequest(seats, null, null, null);
    }

    public static ReservationRequest seats(SeatRef... seats) {
        return new ReservationRequest(List.of(seats), null, null, null);
    }

    public static ReservationRequest bestAvailable(String section, int subsection, int quantity) {
        return new ReservationRequest(null, section, subsection, quantity);
    }

    /** Whether this asks for best-available seats rather than explicit ones. */
    public boolean isBestAvailable() {
        return seats == null;
    }
}
