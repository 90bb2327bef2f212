package io.ticketing.core.spi;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;

/**
 * A reservation after a store operation, with the event's statistics if the operation changed seats.
 * {@code statistics} is null when nothing changed (an idempotent replay or a repeated confirm).
 */
public record ReservationChange(Reservation reservation, EventStatistics statistics) {
    public boolean changed() {
        return statistics != null;
    }
}
