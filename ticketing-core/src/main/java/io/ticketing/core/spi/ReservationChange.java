package io.ticketing.core.spi;

import io.ticketing.core.model.EventStatistics;
import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.SeatChange;
import io.ticketing.core.model.SeatStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A reservation after a store operation, with the event's statistics if the operation changed seats.
 * {@code statistics} is null when nothing changed (an idempotent replay or a repeated confirm).
 */
public record ReservationChange(Reservation reservation, @Nullable EventStatistics statistics) {
    public boolean changed() {
        return statistics != null;
    }

    /**
     * The seats this operation changed, with their new status: every seat of the reservation, since an
     * operation always moves all of them ({@code held}: reserved, {@code confirmed}: sold, {@code cancelled}
     * or {@code expired}: available). Empty when nothing changed. Derived, so every store reports it alike.
     */
    public List<SeatChange> seatChanges() {
        if (!changed()) {
            return List.of();
        }
        SeatStatus status = switch (reservation.status()) {
            case HELD -> SeatStatus.RESERVED;
            case CONFIRMED -> SeatStatus.SOLD;
            case CANCELLED, EXPIRED -> SeatStatus.AVAILABLE;
        };
        return SeatChange.of(reservation.seats(), status);
    }
}
