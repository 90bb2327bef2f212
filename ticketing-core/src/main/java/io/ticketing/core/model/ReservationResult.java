package io.ticketing.core.model;

/** The outcome of a reserve call: the reservation, and whether this call created it (false on an idempotent replay). */
public record ReservationResult(Reservation reservation, boolean created) {
}
