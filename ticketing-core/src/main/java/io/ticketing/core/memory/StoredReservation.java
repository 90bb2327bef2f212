package io.ticketing.core.memory;

import io.ticketing.core.model.Reservation;

/** A reservation with the grid indexes of its seats. */
record StoredReservation(Reservation reservation, int[] seatIndexes) {
    StoredReservation with(Reservation newView) {
        return new StoredReservation(newView, seatIndexes);
    }
}
