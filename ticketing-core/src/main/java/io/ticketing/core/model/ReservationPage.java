package io.ticketing.core.model;

import java.util.List;

/** One page of a buyer's reservations, newest first; {@code nextCursor} is null on the last page. */
public record ReservationPage(List<Reservation> items, String nextCursor) {
    public ReservationPage {
        items = List.copyOf(items);
    }
}
