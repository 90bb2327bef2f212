package io.ticketing.core.spi;

import io.ticketing.core.model.SeatRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A validated reservation for {@link TicketStore#reserve}, in exactly one of two forms: explicit {@link Seats}
 * (every seat exists in the event's config, 1..50 of them, no duplicates) or {@link BestAvailable} (an
 * existing section and subsection, a quantity of 1..50). {@code reservationId} is a fresh id ({@code r-…}), or
 * null for a store that {@linkplain TicketStore#makesReservationIds makes its own}.
 */
public sealed interface ReserveCommand permits ReserveCommand.Seats, ReserveCommand.BestAvailable {

    @Nullable String reservationId();

    long eventId();

    long buyerId();

    /** The buyer's idempotency key, or null for none. */
    @Nullable String idempotencyKey();

    Instant now();

    /** When the hold lapses. */
    Instant expiresAt();

    /** These seats, all or none. */
    record Seats(@Nullable String reservationId, long eventId, long buyerId, List<SeatRef> seats,
                 @Nullable String idempotencyKey, Instant now, Instant expiresAt) implements ReserveCommand {
        public Seats {
            seats = List.copyOf(seats);
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** {@code quantity} best-available seats of one subsection, as {@link TicketStore#reserve} picks them. */
    record BestAvailable(@Nullable String reservationId, long eventId, long buyerId, String section, int subsection,
                         int quantity, @Nullable String idempotencyKey, Instant now, Instant expiresAt)
            implements ReserveCommand {
        public BestAvailable {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
