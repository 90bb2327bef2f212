package io.ticketing.core.spi;

import io.ticketing.core.model.Reservation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;

/**
 * A reservation's place in a buyer's list: newest {@code createdAt} first, to the microsecond (what every
 * store keeps), then greater {@code id} first, compared character by character. Every store lists in this
 * order, so a position read from one page finds the next page in any store.
 *
 * @param createdMicros {@code createdAt} in microseconds since the epoch
 * @param id            the reservation's id
 */
public record ReservationPosition(long createdMicros, String id) implements Comparable<ReservationPosition> {
    private static final Comparator<ReservationPosition> LIST_ORDER = Comparator
            .comparingLong(ReservationPosition::createdMicros).reversed()
            .thenComparing(ReservationPosition::id, Comparator.reverseOrder());

    public ReservationPosition {
        if (id == null) {
            throw new IllegalArgumentException("id must not be null");
        }
    }

    /** The position of {@code r}. */
    public static ReservationPosition of(Reservation r) {
        return new ReservationPosition(micros(r.createdAt()), r.id());
    }

    /** {@code at} in whole microseconds since the epoch. */
    public static long micros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    /** {@code createdMicros} as an instant. */
    public Instant createdAt() {
        return Instant.EPOCH.plus(createdMicros, ChronoUnit.MICROS);
    }

    /** Negative if this comes before {@code other} in list order (is newer). */
    @Override
    public int compareTo(ReservationPosition other) {
        return LIST_ORDER.compare(this, other);
    }
}
