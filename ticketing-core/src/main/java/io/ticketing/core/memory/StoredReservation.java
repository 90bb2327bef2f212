package io.ticketing.core.memory;

import io.ticketing.core.model.Reservation;
import io.ticketing.core.model.ReservationStatus;
import io.ticketing.core.model.ReservedSeat;
import java.time.Instant;
import java.util.List;

/**
 * A reservation as the in-memory store keeps it for as long as it runs: its seats as grid indexes and its
 * status changed in place, so that each costs few objects; {@link #view} builds the public record. The
 * status and payment reference change only with the event's lock held, and are readable without it.
 */
final class StoredReservation {
    final String id;
    final EventState event;
    final long buyerId;
    final int[] seatIndexes;
    // The two instants as seconds and nanos: two objects fewer for every reservation the store keeps.
    private final long createdAtSecond;
    private final int createdAtNano;
    private final long expiresAtSecond;
    private final int expiresAtNano;
    private volatile ReservationStatus status = ReservationStatus.HELD;
    /** Set once, just before the status becomes confirmed; a held reservation has none. */
    private volatile String paymentReference;

    StoredReservation(String id, EventState event, long buyerId, int[] seatIndexes, Instant createdAt,
                      Instant expiresAt) {
        this.id = id;
        this.event = event;
        this.buyerId = buyerId;
        this.seatIndexes = seatIndexes;
        this.createdAtSecond = createdAt.getEpochSecond();
        this.createdAtNano = createdAt.getNano();
        this.expiresAtSecond = expiresAt.getEpochSecond();
        this.expiresAtNano = expiresAt.getNano();
    }

    Instant expiresAt() {
        return Instant.ofEpochSecond(expiresAtSecond, expiresAtNano);
    }

    ReservationStatus status() {
        return status;
    }

    /** Called with the event's lock held. */
    void confirm(String paymentReference) {
        this.paymentReference = paymentReference;
        this.status = ReservationStatus.CONFIRMED;
    }

    /** Called with the event's lock held; a refund keeps the payment reference. */
    void end(ReservationStatus newStatus) {
        this.status = newStatus;
    }

    Reservation view() {
        return view(status);
    }

    /** The reservation as it was in {@code status}, which it has or had. */
    Reservation view(ReservationStatus status) {
        ReservedSeat[] seats = new ReservedSeat[seatIndexes.length];
        long total = 0;
        for (int k = 0; k < seats.length; k++) {
            seats[k] = event.grid.reservedSeat(seatIndexes[k]);
            total += seats[k].price();
        }
        return new Reservation(id, event.id(), buyerId, status, List.of(seats), total, expiresAt(),
                Instant.ofEpochSecond(createdAtSecond, createdAtNano),
                status == ReservationStatus.HELD ? null : paymentReference);
    }
}
