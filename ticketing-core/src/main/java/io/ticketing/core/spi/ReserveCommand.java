package io.ticketing.core.spi;

import io.ticketing.core.model.SeatRef;
import java.time.Instant;
import java.util.List;

/**
 * A validated reservation for {@link TicketStore#reserve}: every seat exists in the event's config, there
 * are 1..50 of them, no duplicates. Exactly one of {@code seats} (explicit) or {@code section} +
 * {@code subsection} + {@code quantity} (best available) is set. {@code idempotencyKey} may be null. {@code reservationId} is a fresh
 * id ({@code r-…}), or null for a store that {@linkplain TicketStore#makesReservationIds makes its own}.
 */
public record ReserveCommand(String reservationId, long eventId, long buyerId, List<SeatRef> seats,
                             String section, int subsection, int quantity, String idempotencyKey,
                             Instant now, Instant expiresAt) {
    public ReserveCommand {
        seats = seats == null ? null : List.copyOf(seats);
    }

    public boolean isBestAvailable() {
        return seats == null;
    }
}
