package io.ticketing.core.metrics;

import java.util.Locale;

/**
 * What became of a reservation request or of a hold. A replayed request (same {@code Idempotency-Key})
 * is not counted again.
 */
public enum ReservationOutcome {
    /** Seats were held. */
    HELD,
    /** A seat asked for was taken, or best available found too few. */
    SEATS_UNAVAILABLE,
    /** Any other rule said no: event not on sale, buyer's seat cap, a reused key, bad seats. */
    REFUSED,
    /** The store failed. */
    FAILED,
    /** A hold was paid for. */
    CONFIRMED,
    /** A hold or a sale was cancelled by its buyer. */
    CANCELLED,
    /** A hold lapsed and its seats were released. */
    EXPIRED;

    /** The lower-case name used as a tag value ({@code held}, {@code seats_unavailable}, …). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
