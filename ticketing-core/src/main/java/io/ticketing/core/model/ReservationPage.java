package io.ticketing.core.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** One page of a buyer's reservations, newest first; {@code nextCursor} is null on the last page. */
public record ReservationPage(List<Reservation> items, @Nullable String nextCursor) {
    public ReservationPage {
        items = List.copyOf(items);
    }
}
