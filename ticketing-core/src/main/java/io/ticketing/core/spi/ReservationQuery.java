package io.ticketing.core.spi;

import io.ticketing.core.model.ReservationStatus;
import org.jspecify.annotations.Nullable;

/**
 * Which of one buyer's reservations {@link TicketStore#listReservations} returns, in
 * {@linkplain ReservationPosition list order} (newest first).
 *
 * @param buyerId only this buyer's reservations
 * @param eventId only this event's, or null for every event
 * @param status  only those in this status, or null for every status
 * @param after   only those that come after this position in list order (paging), or null for the first page
 * @param limit   at most this many, at least 1
 */
public record ReservationQuery(long buyerId, @Nullable Long eventId, @Nullable ReservationStatus status,
                               @Nullable ReservationPosition after,
                               int limit) {
    public ReservationQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
