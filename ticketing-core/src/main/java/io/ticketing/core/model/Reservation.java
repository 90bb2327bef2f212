package io.ticketing.core.model;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A buyer's hold on seats of one event. A {@code held} reservation becomes {@code confirmed} on payment,
 * {@code cancelled} on cancel or refund, or {@code expired} once {@code expiresAt} has passed.
 * {@code paymentReference} is {@code null} unless one was given on confirm.
 */
public record Reservation(String id, long eventId, long buyerId, ReservationStatus status,
                          List<ReservedSeat> seats, long totalPrice, Instant expiresAt, Instant createdAt,
                          @Nullable String paymentReference) {
    public Reservation {
        seats = List.copyOf(seats);
    }

    /** A copy in another status. */
    public Reservation withStatus(ReservationStatus newStatus, String newPaymentReference) {
        return new Reservation(id, eventId, buyerId, newStatus, seats, totalPrice, expiresAt, createdAt,
                newPaymentReference);
    }
}
